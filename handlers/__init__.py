"""HTTP glue: thin operation functions reached through the specs' operationIds."""
