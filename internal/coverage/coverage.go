// Package coverage holds what the README coverage tests of the root and
// platform packages share: finding a reference file beside the repository,
// and resolving "Service.Method" on an SDK client by reflection.
package coverage

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// File returns path when it exists. Otherwise it skips t, saying how to
// point at the file (hint), except when CI is set: a skip there would hide a
// failure, so t fails instead.
func File(t testing.TB, path, hint string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing (%s); CI must not skip", path, hint)
		}
		t.Skipf("%s is not there (%s to run this test)", path, hint)
	}
	return path
}

// HasMethod reports whether path ("Users.Get" or "HealthCheck") names a
// method reachable from client, a pointer to a struct whose fields hold its
// services.
func HasMethod(client any, path string) bool {
	v := reflect.ValueOf(client)
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return false
		}
		f := v.Elem().FieldByName(p)
		if !f.IsValid() {
			return false
		}
		v = f
	}
	return v.IsValid() && v.MethodByName(parts[len(parts)-1]).IsValid()
}
