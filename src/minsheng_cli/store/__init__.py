"""Finding and reading the workspace's files, with their caches, behind one door: `store.load`."""
