package versoritest

import (
	"net/http"
)

// updateDynamicVariables replaces an activation's dynamic variables.
func (f *Fake) updateDynamicVariables(r *http.Request, a *activation) (int, any, *apiError) {
	v, body := validateBody(r)
	vars, _ := v.obj(body, "dynamicVariables", "dynamicVariables", false)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	a.dynamicVariables = copyObject(vars)
	return http.StatusOK, map[string]any{"dynamicVariables": copyObject(a.dynamicVariables)}, nil
}

// activationFromVariablesPath resolves /integrations/{integration_id}/users/{user_id}; the
// user is looked up in the integration's hub.
func (f *Fake) activationFromVariablesPath(r *http.Request) (*activation, *apiError) {
	in, u, e := userIn(f, r, f.integrationFromPath, func(in *integration) string { return in.hubID })
	if e != nil {
		return nil, e
	}
	a := f.activationFor(u.id, in.id)
	if a == nil {
		return nil, notFound("end user has not activated this integration")
	}
	return a, nil
}

func (f *Fake) getDynamicVariables(_ *http.Request, a *activation) (int, any, *apiError) {
	return http.StatusOK, copyObject(a.dynamicVariables), nil
}

// updateDynamicVariablesInternal takes the variables object itself as the body.
func (f *Fake) updateDynamicVariablesInternal(r *http.Request, a *activation) (int, any, *apiError) {
	body, e := decodeObject(r)
	if e != nil {
		return 0, nil, e
	}
	a.dynamicVariables = copyObject(body)
	return http.StatusNoContent, nil, nil
}
