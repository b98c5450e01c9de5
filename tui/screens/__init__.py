"""The app's screens: the main browser, help and the tag/note editors."""
