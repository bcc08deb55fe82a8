"""The digest formats, named here so that the CLI can offer them without importing the exporter."""

FORMATS = ("md", "html", "json", "claimreview")
