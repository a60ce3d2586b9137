"""Reviews: a DOCX returned by a reviewer -> its comments and tracked changes, at source positions."""
