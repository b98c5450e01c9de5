"""Fetching new papers from the Hugging Face daily-papers API and the arXiv API.

Only the ``fetch`` command and the app's fetch key import this package (and urllib3 with it), so
``paperbrowse search`` never pays for an HTTP client. Every response is checked, saved verbatim
under the data dir's ``dumps/`` (a temporary name, renamed when whole) and then ingested like any
other dump: the dumps are the user's data, the library is rebuilt from them.

* :mod:`search.fetch.http`: the HTTP client (urllib3, its ``Retry`` taught HF's ``RateLimit``
  header), pacing, and one-line errors;
* :mod:`search.fetch.dumpfiles`: atomic saves and the dumps already fetched;
* :mod:`search.fetch.hf` and :mod:`search.fetch.arxiv`: what to ask each service and how to check
  its answers;
* :mod:`search.fetch.report`: what a fetch did, for the summary line;
* :mod:`search.fetch.run`: a whole fetch (ask, save, ingest), for the CLI and the app.
"""
