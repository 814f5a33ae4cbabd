"""Digests of the ГОСТ family that detached signatures name, by OID.

ГОСТ Р 34.11-2012 («Стрибог», RFC 6986) is neither in hashlib (OpenSSL has it only with its gost
engine) nor in `cryptography`; gostcrypto (pure Python) computes it. It is slow — about 0,3 s for an
80 KB справка on the project's machines — which is fine for a signature attached once per document.
"""
from __future__ import annotations

from gostcrypto import gosthash

STREEBOG_256 = "1.2.643.7.1.1.2.2"
STREEBOG_512 = "1.2.643.7.1.1.2.3"
_ALGORITHMS = {STREEBOG_256: "streebog256", STREEBOG_512: "streebog512"}


def digest(oid: str, data: bytes) -> bytes | None:
    """The digest of `data` in the algorithm `oid` names; None for an algorithm the portal lacks."""
    algorithm = _ALGORITHMS.get(oid)
    if algorithm is None:
        return None
    return bytes(gosthash.new(algorithm, data=data).digest())
