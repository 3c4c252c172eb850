package daemon

import (
	"encoding/json"
	"errors"
	"net/http"
)

// Control requests, over HTTP on the control socket.
const (
	pathStatus  = "/v1/status"
	pathPause   = "/v1/syncs/{name}/pause"
	pathResume  = "/v1/syncs/{name}/resume"
	pathUnmount = "/v1/unmount"
)

// unmountRequest names the mountpoint to unmount.
type unmountRequest struct {
	Mountpoint string `json:"mountpoint"`
}

// unmountReply names the mount unit that was on it.
type unmountReply struct {
	Name string `json:"name"`
}

// errorReply is the body of a failed request.
type errorReply struct {
	Error string `json:"error"`
}

// controlHandler answers the control socket.
func (d *Daemon) controlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+pathStatus, func(w http.ResponseWriter, r *http.Request) {
		reply(w, d.Status(), nil)
	})
	mux.HandleFunc("POST "+pathPause, func(w http.ResponseWriter, r *http.Request) {
		reply(w, struct{}{}, d.Pause(r.PathValue("name")))
	})
	mux.HandleFunc("POST "+pathResume, func(w http.ResponseWriter, r *http.Request) {
		reply(w, struct{}{}, d.Resume(r.PathValue("name")))
	})
	mux.HandleFunc("POST "+pathUnmount, func(w http.ResponseWriter, r *http.Request) {
		var req unmountRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, errorReply{"bad request: " + err.Error()})
			return
		}
		name, err := d.Unmount(req.Mountpoint)
		reply(w, unmountReply{name}, err)
	})
	return mux
}

// reply sends v, or err with a status that tells a missing unit apart.
func reply(w http.ResponseWriter, v any, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		writeJSON(w, http.StatusNotFound, errorReply{err.Error()})
	case err != nil:
		writeJSON(w, http.StatusInternalServerError, errorReply{err.Error()})
	default:
		writeJSON(w, http.StatusOK, v)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
