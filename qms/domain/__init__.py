"""The quality graph in domain terms: entities, relationships, rules and errors."""
