"""QMS: process mapping and quality management for Swedish municipalities."""

__version__ = "0.1.0"
