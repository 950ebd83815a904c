// Package history keeps the exchanges of auth0-explorer's sessions across
// runs: one JSON Lines file per profile in the state directory
// ($XDG_STATE_HOME/auth0-explorer/history/<profile>.jsonl, see DefaultDir),
// each line one exchange with what was sent and what came back, redacted
// so that nothing on disk is usable as a credential:
//
//   - the request's inputs without the fields the catalogue marks secret or
//     token (client secret, password, codes, tokens); their names are kept;
//   - the exchange as `call --output json` prints it without --reveal
//     (api.Exchange.JSON): request and response with secrets and tokens
//     redacted, the tokens' values replaced;
//   - then every secret the session knows (the client secret, passwords
//     and codes typed, every token of every answer) replaced wherever it
//     still appears.
//
// A line is appended under a lock file (gofrs/flock, as the profiles file
// is saved) with fsync; when the file holds more than MaxEntries lines or
// MaxBytes, it is rewritten atomically (config.WriteFileAtomic) with the
// newest that fit. Files and the directory are private (0600, 0700). A line
// that does not parse is skipped and counted, never fatal.
package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/config"
)

// EnvDir names the environment variable that points at another state
// directory; the history is in its history subdirectory.
const EnvDir = "AUTH0_EXPLORER_STATE"

// Limits of a history file.
const (
	// DefaultMaxEntries is how many exchanges a profile's history keeps.
	DefaultMaxEntries = 500
	// DefaultMaxBytes is the largest a profile's history file grows.
	DefaultMaxBytes = 50 << 20
	// MaxEntryBytes is the largest one exchange is kept at: a longer body
	// is replaced by a sentence saying how long it was.
	MaxEntryBytes = 1 << 20
)

// EntryVersion is the version of the lines this package writes.
const EntryVersion = 1

// DefaultDir is the history directory: history inside $AUTH0_EXPLORER_STATE
// when set, else inside $AUTH0_EXPLORER_CONFIG when that names the
// configuration directory (so a test or a portable setup keeps everything
// in one place), else $XDG_STATE_HOME/auth0-explorer/history, with
// ~/.local/state as XDG_STATE_HOME's default (%LocalAppData% on Windows).
func DefaultDir(getenv func(string) string) (string, error) {
	if getenv == nil {
		return "", errors.New("no environment to find the state directory in")
	}
	if d := getenv(EnvDir); d != "" {
		return filepath.Join(filepath.Clean(d), "history"), nil
	}
	if d := getenv(config.EnvConfig); d != "" {
		return filepath.Join(filepath.Clean(d), "history"), nil
	}
	if runtime.GOOS == "windows" {
		if d := getenv("LocalAppData"); d != "" {
			return filepath.Join(d, config.DirName, "history"), nil
		}
		return "", errors.New("%LocalAppData% is not defined; set " + EnvDir + " to a directory")
	}
	if d := getenv("XDG_STATE_HOME"); d != "" {
		if !filepath.IsAbs(d) {
			return "", errors.New("$XDG_STATE_HOME is a relative path; set " + EnvDir + " to a directory")
		}
		return filepath.Join(d, config.DirName, "history"), nil
	}
	if d := getenv("HOME"); d != "" {
		return filepath.Join(d, ".local", "state", config.DirName, "history"), nil
	}
	return "", errors.New("neither $XDG_STATE_HOME nor $HOME is defined; set " + EnvDir + " to a directory")
}

// Options are what Open needs.
type Options struct {
	// Dir is the history directory (see DefaultDir); created 0700 on the
	// first save.
	Dir string
	// MaxEntries and MaxBytes cap each profile's file; 0 means the
	// defaults.
	MaxEntries int
	MaxBytes   int64
	// LockTimeout is how long a save waits for another process's lock;
	// 0 means config.DefaultLockTimeout.
	LockTimeout time.Duration
}

// Store is the history directory. Its methods are safe for concurrent use
// and do file I/O: call them off the UI goroutine.
type Store struct {
	mu          sync.Mutex
	dir         string
	maxEntries  int
	maxBytes    int64
	lockTimeout time.Duration
}

// Open returns the store of o.Dir. It reads nothing; errors come with the
// first Load or Append.
func Open(o Options) (*Store, error) {
	if o.Dir == "" {
		return nil, errors.New("no history directory given")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	s := &Store{dir: dir, maxEntries: o.MaxEntries, maxBytes: o.MaxBytes, lockTimeout: o.LockTimeout}
	if s.maxEntries <= 0 {
		s.maxEntries = DefaultMaxEntries
	}
	if s.maxBytes <= 0 {
		s.maxBytes = DefaultMaxBytes
	}
	return s, nil
}

// Dir is the history directory.
func (s *Store) Dir() string { return s.dir }

// Path is the file of profile's history.
func (s *Store) Path(profile string) string { return filepath.Join(s.dir, FileName(profile)) }

// FileName is the name of profile's history file: the profile's name
// (profile names are letters, digits, '.', '_' and '-'), "sandbox" for the
// in-process sandbox, any other character as '_'.
func FileName(profile string) string {
	if profile == "" {
		profile = "default"
	}
	if strings.EqualFold(profile, config.SandboxProfileName) {
		profile = config.SandboxProfileName
	}
	b := []byte(profile)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' && i > 0
		if !ok {
			b[i] = '_'
		}
	}
	return string(b) + ".jsonl"
}

// Input is one input field of a request as kept: its name and JSON value.
type Input struct {
	Name  string          `json:"name"`
	Value json.RawMessage `json:"value"`
}

// Text is the value as a form shows it: a string's text, else the JSON.
func (in Input) Text() string {
	var s string
	if json.Unmarshal(in.Value, &s) == nil {
		return s
	}
	return string(in.Value)
}

// Entry is one exchange as kept.
type Entry struct {
	V         int       `json:"v"`
	ID        string    `json:"id"`
	Time      time.Time `json:"time"`
	Operation string    `json:"operation"`
	Profile   string    `json:"profile"`
	// Tenant is the domain or base URL the request went to.
	Tenant string `json:"tenant"`
	// Status is the HTTP status; 0 when no answer arrived.
	Status    int     `json:"status"`
	LatencyMS float64 `json:"latency_ms"`
	// Inputs are the form's fields that are neither secret nor tokens;
	// Dropped names the others, whose values are not kept.
	Inputs       []Input  `json:"inputs,omitempty"`
	Dropped      []string `json:"dropped,omitempty"`
	ForwardedFor string   `json:"forwarded_for,omitempty"`
	Form         bool     `json:"form,omitempty"`
	// Exchange is the exchange as api.Exchange.JSON renders it, redacted.
	Exchange json.RawMessage `json:"exchange"`
}

// Latency is LatencyMS as a duration.
func (e *Entry) Latency() time.Duration {
	return time.Duration(e.LatencyMS * float64(time.Millisecond))
}

// Values are the inputs kept, as api.Values (no secret field among them).
func (e *Entry) Values() api.Values {
	v := api.Values{ForwardedFor: e.ForwardedFor, Form: e.Form}
	for _, in := range e.Inputs {
		v.Fields = append(v.Fields, api.Value{Name: in.Name, Raw: in.Value})
	}
	return v
}

// TokenFields are the fields of the tokens the answer held (their values
// are not kept).
func (e *Entry) TokenFields() []string {
	var v struct {
		Tokens []struct {
			Field string `json:"field"`
		} `json:"tokens"`
	}
	_ = json.Unmarshal(e.Exchange, &v)
	var out []string
	for _, t := range v.Tokens {
		out = append(out, t.Field)
	}
	return out
}

// ToExchange is the exchange kept, to show again: request and response as
// they were shown (redacted), the error sentence, no tokens (their values
// were not kept; TokenFields names them).
func (e *Entry) ToExchange() (*api.Exchange, error) {
	var v api.ExchangeView
	if err := json.Unmarshal(e.Exchange, &v); err != nil {
		return nil, fmt.Errorf("the saved exchange does not parse: %v", err)
	}
	return v.ToExchange(e.Operation), nil
}

// Record is an exchange to keep.
type Record struct {
	ID      string
	Time    time.Time
	Profile string
	Tenant  string
	Op      *api.Operation
	Values  api.Values
	Ex      *api.Exchange
	// Secrets are every secret the session knows beyond the exchange's
	// own: the client secret, values typed in secret fields, tokens of
	// earlier answers. None of them is written.
	Secrets []string
}

// Entry makes the line kept for r: see the package comment for what is
// kept and what is redacted.
func (r Record) Entry() (*Entry, []byte, error) {
	if r.Op == nil || r.Ex == nil {
		return nil, nil, errors.New("nothing to keep")
	}
	e := &Entry{V: EntryVersion, ID: r.ID, Time: r.Time.UTC(), Operation: r.Op.Name, Profile: r.Profile,
		Tenant: r.Tenant, LatencyMS: float64(r.Ex.Duration.Microseconds()) / 1000,
		ForwardedFor: r.Values.ForwardedFor, Form: r.Values.Form}
	if r.Ex.Response != nil {
		e.Status = r.Ex.Response.Status
	}
	for _, v := range r.Values.Fields {
		f := r.Op.Field(v.Name)
		if f == nil || f.Secret || f.Token || f.TakesToken != "" {
			e.Dropped = append(e.Dropped, v.Name)
			continue
		}
		e.Inputs = append(e.Inputs, Input{Name: f.Name, Value: v.Raw})
	}
	red := api.NewRedactor(append(r.Ex.Redactor().Secrets(), r.Secrets...))
	full, err := r.Ex.JSON(false)
	if err != nil {
		return nil, nil, err
	}
	var v api.ExchangeView
	if err := json.Unmarshal(full, &v); err != nil {
		return nil, nil, err
	}
	line, err := e.line(&v, red)
	if err != nil {
		return nil, nil, err
	}
	if len(line) > MaxEntryBytes {
		// Too long to keep whole: the bodies go, with how long they were.
		if v.Response != nil && len(v.Response.Body) > 0 {
			v.Response.Body = omitted(len(v.Response.Body))
		}
		if v.Request != nil && len(v.Request.Body) > MaxEntryBytes/4 {
			v.Request.Body = omitted(len(v.Request.Body))
		}
		if line, err = e.line(&v, red); err != nil {
			return nil, nil, err
		}
	}
	return e, line, nil
}

func omitted(n int) json.RawMessage {
	b, _ := json.Marshal(fmt.Sprintf("(a body of %d bytes is not kept in the history)", n))
	return b
}

// line is e with the exchange v, as one line of JSON, every known secret
// replaced.
func (e *Entry) line(v *api.ExchangeView, red *api.Redactor) ([]byte, error) {
	ex, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	e.Exchange = ex
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	b = red.Bytes(b)
	if !json.Valid(b) {
		return nil, errors.New("the redacted entry is not valid JSON")
	}
	// Read back what is written, so e is what the file holds.
	var back Entry
	if err := json.Unmarshal(b, &back); err != nil {
		return nil, err
	}
	*e = back
	return b, nil
}

// Append adds r to its profile's history, as Record.Entry makes it, and
// returns what was written. The file and the directory are created private;
// a file past the caps is rewritten with the newest entries that fit.
func (s *Store) Append(r Record) (*Entry, error) {
	e, line, err := r.Entry()
	if err != nil {
		return nil, fmt.Errorf("could not keep the exchange in the history: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	path := s.Path(r.Profile)
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, saveErr(path, err)
	}
	unlock, err := config.LockFile(path+".lock", s.lockTimeout)
	if err != nil {
		return nil, saveErr(path, err)
	}
	defer unlock()
	size, err := appendLine(path, line)
	if err != nil {
		return nil, saveErr(path, err)
	}
	if size > s.maxBytes || size > int64(s.maxEntries) { // a line is at least a byte: count only then
		if err := s.compact(path); err != nil {
			return nil, saveErr(path, err)
		}
	}
	return e, nil
}

func saveErr(path string, err error) error {
	return fmt.Errorf("could not save the history to %s: %s", path, osMsg(err))
}

// appendLine appends line and a newline to path (created 0600), after a
// newline when the file does not end with one (a line cut short by a crash
// stays one bad line), syncs it and returns the file's size.
func appendLine(path string, line []byte) (int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if !st.Mode().IsRegular() {
		return 0, errors.New("it is not a regular file")
	}
	if st.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			return 0, err
		}
	}
	buf := make([]byte, 0, len(line)+2)
	if st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			buf = append(buf, '\n')
		}
	}
	buf = append(append(buf, line...), '\n')
	if _, err := f.Write(buf); err != nil {
		return 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	return st.Size() + int64(len(buf)), nil
}

// compact rewrites path with its newest entries within the caps when it
// is past them. The lock is held.
func (s *Store) compact(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if int64(len(data)) <= s.maxBytes && bytes.Count(data, []byte{'\n'}) <= s.maxEntries {
		return nil
	}
	var lines [][]byte
	for l := range bytes.SplitSeq(data, []byte{'\n'}) {
		if len(bytes.TrimSpace(l)) > 0 && validEntry(l) {
			lines = append(lines, l)
		}
	}
	if n := len(lines) - s.maxEntries; n > 0 {
		lines = lines[n:]
	}
	var total int64
	keep := len(lines)
	for i := len(lines) - 1; i >= 0; i-- {
		if total+int64(len(lines[i])+1) > s.maxBytes {
			break
		}
		total += int64(len(lines[i]) + 1)
		keep = i
	}
	var out bytes.Buffer
	for _, l := range lines[keep:] {
		out.Write(l)
		out.WriteByte('\n')
	}
	return config.WriteFileAtomic(path, out.Bytes())
}

func validEntry(l []byte) bool {
	var e Entry
	return json.Unmarshal(l, &e) == nil && e.ID != "" && e.Operation != ""
}

// Loaded is a profile's history as read.
type Loaded struct {
	Path string
	// Entries are the exchanges kept, oldest first, at most MaxEntries.
	Entries []Entry
	// Corrupt counts the lines that did not parse and were skipped.
	Corrupt int
}

// Load reads profile's history. No file is no history. A file that cannot
// be read is an error (one sentence); lines that do not parse are counted
// in Corrupt. Only the last MaxBytes of a larger file are read.
func (s *Store) Load(profile string) (Loaded, error) {
	path := s.Path(profile)
	out := Loaded{Path: path}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, readErr(path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return out, readErr(path, err)
	}
	if !st.Mode().IsRegular() {
		return out, fmt.Errorf("could not read the history %s: it is not a regular file", path)
	}
	var r io.Reader = f
	skipFirst := false
	if st.Size() > s.maxBytes {
		if _, err := f.Seek(st.Size()-s.maxBytes, io.SeekStart); err != nil {
			return out, readErr(path, err)
		}
		skipFirst = true // most likely the end of a line cut by the seek
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxEntryBytes*2)
	for sc.Scan() {
		l := bytes.TrimSpace(sc.Bytes())
		if skipFirst {
			skipFirst = false
			continue
		}
		if len(l) == 0 {
			continue
		}
		var e Entry
		if json.Unmarshal(l, &e) != nil || e.ID == "" || e.Operation == "" || e.V > EntryVersion {
			out.Corrupt++
			continue
		}
		out.Entries = append(out.Entries, e)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			out.Corrupt++
		} else {
			return out, readErr(path, err)
		}
	}
	slices.SortStableFunc(out.Entries, func(a, b Entry) int { return a.Time.Compare(b.Time) })
	if n := len(out.Entries) - s.maxEntries; n > 0 {
		out.Entries = out.Entries[n:]
	}
	return out, nil
}

func readErr(path string, err error) error {
	return fmt.Errorf("could not read the history %s: %s", path, osMsg(err))
}

// Clear removes profile's history.
func (s *Store) Clear(profile string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := s.Path(profile)
	if _, err := os.Stat(s.dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	unlock, err := config.LockFile(path+".lock", s.lockTimeout)
	if err != nil {
		return fmt.Errorf("could not clear the history %s: %v", path, err)
	}
	defer unlock()
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("could not clear the history %s: %v", path, osMsg(err))
	}
	return nil
}

// osMsg is an error of the file system without the path it names (the
// sentences name it themselves).
func osMsg(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var se *config.SaveError
	if errors.As(err, &se) {
		return osMsg(se.Err)
	}
	return err.Error()
}

// Last is the newest entry of op in entries (oldest first), and whether
// there is one: its inputs are what the form of op starts from.
func Last(entries []Entry, op string) (Entry, bool) {
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Operation == op {
			return entries[i], true
		}
	}
	return Entry{}, false
}
