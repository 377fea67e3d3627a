"""The demo server's configuration file, on stdout: a random master password
and no database manager or list, so that whoever reaches the demo's port
cannot create, dump or drop databases (Odoo's default master password is
"admin")."""

import secrets

print("[options]")
print(f"admin_passwd = {secrets.token_urlsafe(24)}")
print("list_db = False")
