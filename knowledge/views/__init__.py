"""Pages of the knowledge base: reading (articles.py), writing and review (editing.py), embeddable fragments."""
