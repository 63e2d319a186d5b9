"""The action table (menus, shortcuts) and the shortcut sheet."""
