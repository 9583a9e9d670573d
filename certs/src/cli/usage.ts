/** ken-pki's usage text: the one place the command line is described. */

/** The usage text printed by `ken-pki --help` and after a usage error. */
export const USAGE = `ken-pki — the prefecture's PKI (CA tooling for ken-server)

Usage:
  ken-pki init      [--ca DIR] [--org NAME] [--years N]
  ken-pki issue server   --name HOST [--name HOST ...] --out DIR [--ca DIR] [--days N]
  ken-pki issue cs       --municipality CODE --out DIR [--ca DIR] [--days N]
  ken-pki issue national-client --prefecture CODE --out DIR [--ca DIR] [--days N]
  ken-pki issue operator --id ID --role operator|admin|security|technician --out DIR
                         [--pin-file FILE] [--ca DIR] [--days N]
  ken-pki revoke    --serial HEX --reason REASON [--ca DIR]
  ken-pki crl       [--out FILE] [--days N] [--ca DIR]
  ken-pki verify    CERT [--ca DIR | --trust BUNDLE] [--crl FILE] [--at ISO-DATE]
                    [--expect cs|operator|server] [--stale-crl fail|warn]
  ken-pki dev       --out DIR --municipality CODE [--municipality CODE ...]

Options:
  --ca DIR       the CA directory (default var/pki/ca); \`init --out DIR\` is accepted for --ca
  --out DIR      where issue writes <name>.crt (certificate + issuing CA) and <name>.key (0600)
  --pin-file F   the operator key's PIN, read from a file; otherwise from $KEN_PKI_PIN.
                 There is deliberately no option to pass a PIN on the command line.
  --reason R     unspecified, keyCompromise, cACompromise, affiliationChanged, superseded,
                 cessationOfOperation, certificateHold, privilegeWithdrawn, aACompromise
  --days N       validity: certificates (default 730; operators end 30 April of the next
                 fiscal year) or CRL (default 7)
  --trust FILE   verify against a bundle instead of a CA directory (self-signed = anchors)
  --crl FILE     the CRL to check against (default: the CA directory's crl.pem)
  --at ISO-DATE  verify as of this time instead of now
  --json         print the result as one JSON object
  --help         this text

Exit status: 0 success (verify: acceptable), 1 refused or failed, 2 usage error.
Every error names its code (KEN_ERR_…); see docs/errors-certs.md.
`
