"""The Neo4j adapter of the graph store port (official driver, Bolt, cluster-ready)."""
