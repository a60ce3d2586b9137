"""Project commands: `reportc init` (a new project from a template) and `reportc styles` (the
styles a source can name)."""
