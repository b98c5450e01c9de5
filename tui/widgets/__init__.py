"""The widgets of the main screen; each posts messages named for what happened."""
