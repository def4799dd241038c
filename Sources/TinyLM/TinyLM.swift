// TinyLM: see the files of this folder.
