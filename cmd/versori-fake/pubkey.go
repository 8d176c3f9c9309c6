package main

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// parsePublicKey reads the RSA public key Versori would hold for a signing
// key: a PKIX "PUBLIC KEY", a PKCS#1 "RSA PUBLIC KEY", or the key of a
// "CERTIFICATE". A private key is refused rather than used, because the
// private half should stay with whoever mints the tokens, as it does with
// Versori itself.
func parsePublicKey(pemBytes []byte) (*rsa.PublicKey, error) {
	rest := pemBytes
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("no PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE PEM block found")
		}
		var (
			key any
			err error
		)
		switch block.Type {
		case "PUBLIC KEY":
			key, err = x509.ParsePKIXPublicKey(block.Bytes)
		case "RSA PUBLIC KEY":
			key, err = x509.ParsePKCS1PublicKey(block.Bytes)
		case "CERTIFICATE":
			var cert *x509.Certificate
			if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
				key = cert.PublicKey
			}
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY":
			return nil, fmt.Errorf("holds a private key (%q); pass its public half, e.g. from `openssl pkey -in key.pem -pubout`", block.Type)
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("invalid %q block: %w", block.Type, err)
		}
		pub, ok := key.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("is a %T key; Versori signing keys are RSA (RS256)", key)
		}
		return pub, nil
	}
}
