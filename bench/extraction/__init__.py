"""Extraction evaluation (annotated invented reports) and throughput of ``claims.extract``."""
