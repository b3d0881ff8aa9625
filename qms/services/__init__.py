"""Use cases over the graph store and the search index."""
