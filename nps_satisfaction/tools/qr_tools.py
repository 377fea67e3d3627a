"""QR codes of the answer links."""

import base64
import io

import qrcode
import qrcode.image.svg


def qr_image(url, fmt="png"):
    """The QR code of ``url`` as (bytes, mimetype), PNG or SVG."""
    if fmt == "svg":
        image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
        mimetype = "image/svg+xml"
    else:
        image = qrcode.make(url, box_size=8, border=2)
        mimetype = "image/png"
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue(), mimetype


def qr_data_uri(url, fmt="png"):
    content, mimetype = qr_image(url, fmt)
    return f"data:{mimetype};base64,{base64.b64encode(content).decode()}"


def qr_http(url, fmt="png", cache="private"):
    """The QR code of ``url`` as (content, headers) of an HTTP response: SVG
    when ``fmt`` is ``svg``, else PNG; ``cache`` is ``public`` or
    ``private`` (a personal link), for an hour."""
    content, mimetype = qr_image(url, "svg" if fmt == "svg" else "png")
    return content, [
        ("Content-Type", mimetype),
        ("Cache-Control", f"{cache}, max-age=3600"),
    ]
