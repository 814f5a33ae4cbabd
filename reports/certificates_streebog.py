"""Digests of the ГОСТ family that detached signatures name, by OID.

ГОСТ Р 34.11-2012 («Стрибог») is not in hashlib (OpenSSL ships it only with its gost engine) nor
in `cryptography`; until the portal has an implementation, `digest` answers None and the check
of a ГОСТ .sig says plainly that the file's digest was not compared.
"""
from __future__ import annotations

STREEBOG_256 = "1.2.643.7.1.1.2.2"
STREEBOG_512 = "1.2.643.7.1.1.2.3"


def digest(oid: str, data: bytes) -> bytes | None:
    """The digest of `data` in the algorithm `oid` names; None for an algorithm the portal lacks."""
    return None
