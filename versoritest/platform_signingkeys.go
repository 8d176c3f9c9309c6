package versoritest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
)

// signingKeyBits is the size of the RSA keys CreateSigningKey makes.
const signingKeyBits = 2048

// pSigningKeySetJSON is the Organisations API's SigningKeySet: the only place the private
// half ever appears.
type pSigningKeySetJSON struct {
	pPublicKeyJSON
	PrivateKey string `json:"privateKey"`
}

// pPublicKeyJSON is the Organisations API's PublicKey.
type pPublicKeyJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	PublicKey string `json:"publicKey"`
	CreatedAt string `json:"createdAt"`
}

func renderPPublicKey(k *pSigningKey) pPublicKeyJSON {
	return pPublicKeyJSON{ID: k.id, Name: k.name, PublicKey: k.publicPEM, CreatedAt: formatTime(k.createdAt)}
}

// pCreateSigningKey makes an RSA key pair, keeps the public half, and returns both halves
// once: the private key as PKCS #8 PEM, as Versori's documentation says. JWTs signed with
// it and whose iss is https://versori.com/sk/<id> are then accepted, by both APIs, as if
// the key had been passed to RegisterSigningKey. The spec declares 204 with a body
// (erratum E12); the fake answers 201 with the body.
func (f *Fake) pCreateSigningKey(r *http.Request) (int, any, *apiError) {
	v, body := validateBody(r)
	name, _ := v.nonEmpty(body, "name", "name", true)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	priv, err := rsa.GenerateKey(rand.Reader, signingKeyBits)
	if err != nil {
		return 0, nil, newError(http.StatusInternalServerError, "generating a key pair: %v", err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return 0, nil, newError(http.StatusInternalServerError, "encoding the public key: %v", err)
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return 0, nil, newError(http.StatusInternalServerError, "encoding the private key: %v", err)
	}
	k := &pSigningKey{
		id: f.newID(), name: name, public: &priv.PublicKey, createdAt: f.now(),
		publicPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})),
	}
	f.st.platform.signingKeys.put(k.id, k)
	f.keys[k.id] = k.public
	return http.StatusCreated, pSigningKeySetJSON{
		pPublicKeyJSON: renderPPublicKey(k),
		PrivateKey:     string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER})),
	}, nil
}

// pListSigningKeys lists the keys CreateSigningKey made, without private halves (the
// fake no longer has them). Keys given to RegisterSigningKey authenticate but are not
// listed: the fake knows no name or creation time for them. The spec declares 204 with a
// body (erratum E12); the fake answers 200 with the body.
func (f *Fake) pListSigningKeys(_ *http.Request) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"keys": renderAll(f.st.platform.signingKeys.sorted(nil), renderPPublicKey)}, nil
}

// pDeleteSigningKey deletes a key; JWTs signed with it are refused from then on.
func (f *Fake) pDeleteSigningKey(r *http.Request) (int, any, *apiError) {
	k, e := f.st.platform.signingKeys.find("signing key", r.PathValue("key_id"))
	if e != nil {
		return 0, nil, e
	}
	delete(f.st.platform.signingKeys, k.id)
	delete(f.keys, k.id)
	return http.StatusNoContent, nil, nil
}

// pGetPublicKey returns a key's public half to anyone: the operation is tagged public and
// needs no authentication, so that a token's recipient can verify it.
func (f *Fake) pGetPublicKey(r *http.Request) (int, any, *apiError) {
	k, e := f.st.platform.signingKeys.find("signing key", r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, renderPPublicKey(k), nil
}
