"""ГОСТ Р 34.11-2012 («Стрибог») digests against the test vector of RFC 6986, section 10.1.

M1 is the 63 ASCII characters «012345…012»; its digests below are copied from the RFC (and match
OpenSSL's gost engine: `echo -n 0123…012 | openssl dgst -md_gost12_256`), not computed by the code.
"""
from reports import certificates_streebog

M1 = b"012345678901234567890123456789012345678901234567890123456789012"
M1_256 = "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500"
M1_512 = ("1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa"
          "00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48")


def test_streebog_256_of_the_rfc_vector():
    assert certificates_streebog.digest(certificates_streebog.STREEBOG_256, M1).hex() == M1_256


def test_streebog_512_of_the_rfc_vector():
    assert certificates_streebog.digest(certificates_streebog.STREEBOG_512, M1).hex() == M1_512


def test_an_algorithm_the_portal_lacks_answers_none():
    assert certificates_streebog.digest("1.2.643.2.2.9", M1) is None  # ГОСТ Р 34.11-94, withdrawn
