"""Reading deployable content: files, folders, modules and ``.weftpkg`` archives."""
