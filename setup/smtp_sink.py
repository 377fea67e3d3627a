"""A local SMTP server that keeps every message it receives as a .eml file.

Used by the demo so that the survey emails Odoo sends can be opened, and
nothing leaves the machine. Listens on 127.0.0.1 only.
"""

import argparse
import asyncio
import pathlib
import time

from aiosmtpd.controller import Controller


class MaildirHandler:
    def __init__(self, maildir):
        self.maildir = pathlib.Path(maildir)
        self.maildir.mkdir(parents=True, exist_ok=True)
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        self.count += 1
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{self.count:05d}.eml"
        (self.maildir / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--maildir", required=True)
    args = parser.parse_args()
    controller = Controller(
        MaildirHandler(args.maildir), hostname="127.0.0.1", port=args.port
    )
    controller.start()
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
