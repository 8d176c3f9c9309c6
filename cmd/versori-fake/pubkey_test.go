package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/versori-go/versori/internal/testutil"
)

func TestParsePublicKey(t *testing.T) {
	key := testutil.RSAKey(0)
	pkixDER, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fake"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	enc := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }

	for name, in := range map[string][]byte{
		"PKIX":                     enc("PUBLIC KEY", pkixDER),
		"PKCS#1":                   enc("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&key.PublicKey)),
		"certificate":              enc("CERTIFICATE", cert),
		"after an unrelated block": append(enc("DH PARAMETERS", []byte{1}), enc("PUBLIC KEY", pkixDER)...),
	} {
		pub, err := parsePublicKey(in)
		if err != nil || !pub.Equal(&key.PublicKey) {
			t.Errorf("%s: got %v, %v", name, pub, err)
		}
	}

	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	for name, tc := range map[string]struct {
		in   []byte
		want string
	}{
		"not PEM":     {[]byte("ssh-rsa AAAA"), "no PUBLIC KEY"},
		"private key": {enc("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key)), "-pubout"},
		"garbage":     {enc("PUBLIC KEY", []byte("nope")), "invalid"},
		"EC key":      {enc("PUBLIC KEY", ecDER), "RSA"},
	} {
		_, err := parsePublicKey(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "BEGIN") {
			t.Errorf("%s: error quotes the PEM: %v", name, err)
		}
	}
}
