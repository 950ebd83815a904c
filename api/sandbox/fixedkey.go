package sandbox

// fixedKeyPEM is the signing key of a deterministic sandbox (Options.Seed
// set), so tests and screenshots get the same kid and signatures on every run.
// It signs tokens for a local test tenant only and is public by design: never
// trust it for anything else. Go 1.26 ignores custom random sources in
// rsa.GenerateKey, so a fixed key cannot be derived from the seed instead.
const fixedKeyPEM = `-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEAvQRj6SEaSm7w7wPLF1+wmKCXMQF4UqCEtdmWTJqOe0fLX82e
dJNgrTMM4xzYgwL+/o6WBYu/0TIPTqJsIHCBeCChvtPXvJL9Fa/WpK1SQ0L/dMnw
jbe14ijmacHUcg2voCkryTUVQ8tJjnGfKtUve25MrDRl1E8/w9+Zw2Jhwh1JceRl
PWt7lBB3clJ19xy42gQ5XDkTo0i+xJriVFiN/XAbazMiFNj49+NQnnFIyoSPJAL9
V1scVh40UKUf7uM+zCxH4WNVANEy66fkZkYmtoxJgWIblMHek/V/3XIezbiv+cOE
d3OqBN5osEiphjJYxTP7vIQz+f14ZAcbA2oUgQIDAQABAoIBADgz+P1WEXo2eL+p
Uhc2Jc2MWsiAlmWDQ1LLSyyl/F3d4DQxcL9bHzEA8AEMD7kNCANrJGKrxjKO/wwz
sZEHwweUNGQIm6p/zm9HZLx8qOxFHK5+aV/KU3PXE4Q41VHAjgtCkrl2ZkdNSCbp
1BkpYMAD8Rp3ThwOIHi+oPr+4vCTv+BVNMhrO/Ac8BRRILk/pIOn4AlYtoa0ABhV
e3uTKW66r4n4yAGj/8PJmlK48nYjKnZFYlyOD2xYISWctxItBU/odwPy1e1vM3As
YSzmIYVzALLgXeS5sPF+JvvejKn3FR3dDziXTr5VdSpd/tZkyp7c1lzVOaupAVBA
ZFdM8K0CgYEA48dfvppZLBIiDH6dyFrNrytFl+eDYVLMQQHbtGWhgDAolb8irksj
6H1YEFqwwnTLMUoZUgnFDethTlKvspaPsrVkWxbNjvuifMFUjprVR//DlF25Z0eN
jalGUu52dkTbBEKI7Il6h91JilYDLZWr94AIE4tWuR3nvQvo8aL2NfMCgYEA1G+V
rMbh9jzA8r7Tp5Nlpk+JNOpXZq3vjCQtEpFDbBm1bCbJGxGG6K0unvA//YMkuiVS
KlabD9E5p1hh2cQMWgMGoPI7/0SAPcKZNMBm3gKXLeVWHYBMqckvC2GmCameo3do
PkmcFHUc/LpC10aXDPLWDdIZBODOKXfO2/A7pLsCgYEA3jpyiz+DqJ+4YIBX6FXP
Pwv0xhO19ooVhYcOl55gRvS1ZAQrDel5iyZfePVCZzYT2G727Tdi7gWr1gKOMKr8
X9rhoo1I2CthiF4G5Wrik3BRnLskXENPM9rnJZpKMXFUTX+snzoyNcQML89jImJY
eQyM1KSpY8ptgd/Q0Y+wr0kCgYEA0Df+0LavTBcIV+XKtvm2LGjQ51i6Ch56KTZc
J1LSbuZT+ImbnDh1ryHwDEEXt3gPS5TBEFaK7dn5VJlAb53FLYTBvocvX2jY+a//
UsEzEnAflhCvc4MJoXFb9x/jCp2CrF6hgkvL/BE+NEissyyxaTOrsyg29Z0S9XpE
+zZgf3kCgYBuvMcotaOXApf6EzvdyZJRWITPt3UvM3C/QwO3DElfqxEBKos6LE86
TRb3peFG8IMR9ayQU7kLT1VRHS1dEi0CsBwVTEhRkk3UIqMrO26MUyqW9015PxMh
QfuUlbyX0sd29W1gJf+XhezDlHd+9blv18zuZ2PMH/GVFLK7Q4Q0wQ==
-----END RSA PRIVATE KEY-----
`
