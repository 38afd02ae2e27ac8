"""CLI sub-commands, one module per noun; each imports its heavy dependencies inside the command."""
