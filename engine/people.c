/* people.c: the people of a live session (people.h): the people file, the
 * tokens file, login by token, who is connected; the channels and the
 * messages posted in them. The hub (hub.c) calls in here; nothing here
 * touches the run, so what people say never changes what happens. */
#include "people.h"
#include "batch.h"
#include "cli.h"
#include "simtime.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_PEOPLE = 1024 };

static const char *const role_names[] = { "lead", "member", "umpire", "rfi" };

const char *dt_role_name(int role) {
  return role >= 0 && role <= DT_ROLE_RFI ? role_names[role] : "?";
}

static int role_of(const char *s) {
  for (int i = 0; i <= DT_ROLE_RFI; i++) if (!strcmp(s, role_names[i])) return i;
  return -1;
}

static const char *seat_id(const dt_hub_t *h, int seat) {
  return seat == DT_PEER_FAC ? "facilitator" : h->s->sim->states[seat]->id;
}

/* "facilitator", "white" or "white cell": the white cell; else a state's
 * index (< 64); DT_PEER_NOSEAT when neither. */
static int seat_of(dt_sim_t *sim, const char *s) {
  if (!strcmp(s, "facilitator") || !strcmp(s, "white") || !strcmp(s, "white cell"))
    return DT_PEER_FAC;
  dt_state_t *st = dt_state_find(sim, s);
  return st && st->index < 64 ? st->index : DT_PEER_NOSEAT;
}

/* ---- the people file ------------------------------------------------------------ */

/* The fields of one CSV record: n (>= 0), 0 at the end, -1 malformed. */
static int csv_line(FILE *f, dt_buf_t *raw, dt_buf_t *txt, dt_csv_fld_t *fl, int max) {
  int r = dt_csv_read_record(f, raw);
  if (r <= 0) return r;
  size_t pos = 0;
  txt->len = 0;
  int n = dt_csv_record(raw->p, raw->len, &pos, txt, fl, max);
  return n < 0 ? -1 : n;
}

static const char *fld(const dt_buf_t *txt, const dt_csv_fld_t *fl, int k, int n) {
  return k >= 0 && k < n ? txt->p + fl[k].off : "";
}

/* A name a person is known by: printable, no leading or trailing space. */
static int good_name(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 63 || s[0] == ' ' || s[n - 1] == ' ') return 0;
  for (size_t i = 0; i < n; i++) if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return 0;
  return 1;
}

json_t *dt_people_read(const char *path, dt_sim_t *sim, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "cannot read the people file '%s': %s", path, strerror(errno));
    return NULL;
  }
  dt_buf_t raw = { 0 }, txt = { 0 };
  dt_csv_fld_t fl[16];
  json_t *out = json_array();
  int col[3] = { -1, -1, -1 }, line = 1, n;
  static const char *const cols[] = { "name", "seat", "role" };
  n = csv_line(f, &raw, &txt, fl, 16);
  for (int k = 0; k < n; k++)
    for (int c = 0; c < 3; c++) if (!strcmp(fld(&txt, fl, k, n), cols[c])) col[c] = k;
  if (n <= 0 || col[0] < 0 || col[1] < 0 || col[2] < 0) {
    snprintf(err, errlen, "%s:1: the first line must name the columns name,seat,role", path);
    goto bad;
  }
  while ((n = csv_line(f, &raw, &txt, fl, 16)) != 0) {
    line++;
    if (n < 0) { snprintf(err, errlen, "%s:%d: not a CSV record", path, line); goto bad; }
    if (n == 1 && !*fld(&txt, fl, 0, n)) continue;   /* a blank line */
    const char *name = fld(&txt, fl, col[0], n), *seat = fld(&txt, fl, col[1], n),
               *role = fld(&txt, fl, col[2], n);
    if (!good_name(name)) {
      snprintf(err, errlen, "%s:%d: a name is 1 to 63 printable bytes (got '%.40s')", path, line,
               name);
      goto bad;
    }
    int st = seat_of(sim, seat), r = role_of(role);
    if (st == DT_PEER_NOSEAT) {
      snprintf(err, errlen, "%s:%d: %s: no seat '%.40s' (a state id of the scenario, or "
               "'facilitator' for the white cell)", path, line, name, seat);
      goto bad;
    }
    int ok = st == DT_PEER_FAC ? r == DT_ROLE_UMPIRE || r == DT_ROLE_RFI
                               : r == DT_ROLE_LEAD || r == DT_ROLE_MEMBER;
    if (!ok) {
      snprintf(err, errlen, "%s:%d: %s: the role in %s is %s, not '%.20s'", path, line, name,
               st == DT_PEER_FAC ? "the white cell" : seat,
               st == DT_PEER_FAC ? "umpire or rfi" : "lead or member", role);
      goto bad;
    }
    size_t i; json_t *p;
    json_array_foreach(out, i, p) {
      if (strcmp(json_string_value(json_object_get(p, "name")), name)) continue;
      snprintf(err, errlen, "%s:%d: '%s' is named twice (names tell people apart)", path, line,
               name);
      goto bad;
    }
    if (json_array_size(out) >= MAX_PEOPLE) {
      snprintf(err, errlen, "%s:%d: at most %d people", path, line, MAX_PEOPLE);
      goto bad;
    }
    json_array_append_new(out, json_pack("{s:s,s:s,s:s}", "name", name, "seat",
                                         st == DT_PEER_FAC ? "facilitator" : sim->states[st]->id,
                                         "role", role));
  }
  if (!json_array_size(out)) { snprintf(err, errlen, "%s: names nobody", path); goto bad; }
  dt_buf_free(&raw); dt_buf_free(&txt);
  fclose(f);
  return out;
bad:
  dt_buf_free(&raw); dt_buf_free(&txt);
  fclose(f);
  json_decref(out);
  return NULL;
}

/* A state's id names its seat (hello, --human, --people, the channels) and,
 * without --people, the seat's lead: an id the white cell's names take
 * ("facilitator", "white", "white cell") made a seat no one could take and a
 * second person named "facilitator"; an id that is no person's name (a
 * newline, 64 bytes or more: cut to 63, two states could share it) made a lead
 * the tokens file and the journal could not tell apart. */
static int check_seat_ids(dt_sim_t *sim, int ns, int by_id, char *err, size_t errlen) {
  for (int i = 0; i < ns; i++) {
    const char *id = sim->states[i]->id;
    if (seat_of(sim, id) == DT_PEER_FAC) {
      snprintf(err, errlen, "state '%s' cannot be a seat: 'facilitator', 'white' and 'white cell' "
               "name the white cell (give the state another id)", id);
      return -1;
    }
    if (by_id && !good_name(id)) {
      snprintf(err, errlen, "state id '%.40s%s' cannot name its seat's lead: a name is 1 to 63 "
               "printable bytes (give the state another id, or name people with --people)", id,
               strlen(id) > 40 ? "..." : "");
      return -1;
    }
  }
  return 0;
}

int dt_people_init(dt_hub_t *h, json_t *list, char *err, size_t errlen) {
  dt_sim_t *sim = h->s->sim;
  int ns = sim->nstates < 64 ? sim->nstates : 64;
  if (check_seat_ids(sim, ns, !list, err, errlen) < 0) return -2;
  size_t n = list ? json_array_size(list) : (size_t)ns + 1;
  free(h->people);
  h->npeople = 0;
  h->people = calloc(n ? n : 1, sizeof *h->people);
  if (!h->people) { snprintf(err, errlen, "out of memory"); return -1; }
  if (!list) {
    snprintf(h->people[0].name, sizeof h->people[0].name, "facilitator");
    h->people[0].seat = DT_PEER_FAC; h->people[0].role = DT_ROLE_UMPIRE;
    for (int i = 0; i < ns; i++) {
      dt_person_t *p = &h->people[i + 1];
      snprintf(p->name, sizeof p->name, "%s", sim->states[i]->id);
      p->seat = i; p->role = DT_ROLE_LEAD;
    }
    h->npeople = ns + 1;
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    json_t *p = json_array_get(list, i);
    const char *name = json_string_value(json_object_get(p, "name"));
    const char *seat = json_string_value(json_object_get(p, "seat"));
    const char *role = json_string_value(json_object_get(p, "role"));
    int st = seat ? seat_of(sim, seat) : DT_PEER_NOSEAT, r = role ? role_of(role) : -1;
    if (!name || !good_name(name) || st == DT_PEER_NOSEAT || r < 0 ||
        (st == DT_PEER_FAC) != (r == DT_ROLE_UMPIRE || r == DT_ROLE_RFI)) {
      snprintf(err, errlen, "the journal's people[%zu] is not {name, seat, role} of this scenario",
               i);
      return -1;
    }
    snprintf(h->people[i].name, sizeof h->people[i].name, "%s", name);
    h->people[i].seat = st; h->people[i].role = r;
  }
  h->npeople = (int)n;
  return 0;
}

void dt_people_free(dt_hub_t *h) {
  free(h->people);
  h->people = NULL; h->npeople = 0;
  for (size_t i = 0; i < h->nmsgs; i++) json_decref(h->msgs[i].m);
  free(h->msgs);
  h->msgs = NULL; h->nmsgs = h->capmsgs = 0;
}

/* ---- tokens ------------------------------------------------------------------------ */

static int new_token(char out[33]) {
  unsigned char b[16];
  size_t got = 0;
  while (got < sizeof b) {
    ssize_t r = getrandom(b + got, sizeof b - got, 0);
    if (r < 0) { if (errno == EINTR) continue; return -1; }
    got += (size_t)r;
  }
  for (int i = 0; i < 16; i++) snprintf(out + (size_t)2 * i, 3, "%02x", b[i]);
  return 0;
}

static int write_tokens(dt_hub_t *h, const char *path, char *err, size_t errlen) {
  for (int i = 0; i < h->npeople; i++)
    if (new_token(h->people[i].token)) {
      snprintf(err, errlen, "no random source for tokens");
      return -1;
    }
  /* Never through a symbolic link, never into a file someone else made: the
   * file is created here, or the start fails. */
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create the tokens file '%s': %s", path, strerror(errno));
    return -1;
  }
  dt_buf_t b = { 0 };
  dt_buf_puts(&b, "seat,role,name,token\n");
  for (int i = 0; i < h->npeople; i++) {
    const dt_person_t *p = &h->people[i];
    const char *seat = seat_id(h, p->seat);
    dt_csv_field(&b, seat, strlen(seat));
    dt_buf_puts(&b, ",");
    dt_buf_puts(&b, dt_role_name(p->role));
    dt_buf_puts(&b, ",");
    dt_csv_field(&b, p->name, strlen(p->name));
    dt_buf_puts(&b, ",");
    dt_buf_puts(&b, p->token);
    dt_buf_puts(&b, "\n");
  }
  int bad = b.oom || fchmod(fd, 0600) != 0;
  for (size_t off = 0; !bad && off < b.len;) {
    ssize_t w = write(fd, b.p + off, b.len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) bad = 1; else off += (size_t)w;
  }
  if (!bad && fsync(fd) != 0) bad = 1;
  int e = errno;
  close(fd);
  dt_buf_free(&b);
  if (bad) {
    snprintf(err, errlen, "cannot write the tokens file '%s': %s", path, strerror(e));
    return -1;
  }
  return 0;
}

static int is_token(const char *t) {
  if (strlen(t) != 32) return 0;
  for (int i = 0; i < 32; i++)
    if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f'))) return 0;
  return 1;
}

static int read_tokens(dt_hub_t *h, int fd, const char *path, char *err, size_t errlen) {
  FILE *f = fdopen(fd, "r");
  if (!f) { close(fd); snprintf(err, errlen, "cannot read '%s'", path); return -1; }
  dt_buf_t raw = { 0 }, txt = { 0 };
  dt_csv_fld_t fl[8];
  int n, line = 0, name_col = 2, tok_col = 3, rc = 0;
  while ((n = csv_line(f, &raw, &txt, fl, 8)) != 0) {
    line++;
    if (n < 0) { snprintf(err, errlen, "%s:%d: not a CSV record", path, line); rc = -1; break; }
    if (line == 1 && n >= 4 && !strcmp(fld(&txt, fl, 3, n), "token")) continue;
    const char *name = fld(&txt, fl, name_col, n), *tok = fld(&txt, fl, tok_col, n);
    char a[128], b[128];
    if (n == 1) {
      /* The file of an earlier version: "ID TOKEN" lines, one person per seat. */
      if (sscanf(fld(&txt, fl, 0, n), "%127s %127s", a, b) != 2) continue;
      name = a; tok = b;
    }
    if (!is_token(tok)) continue;
    for (int i = 0; i < h->npeople; i++)
      if (!strcmp(h->people[i].name, name)) memcpy(h->people[i].token, tok, 33);
  }
  dt_buf_free(&raw); dt_buf_free(&txt);
  fclose(f);
  for (int i = 0; rc == 0 && i < h->npeople; i++)
    if (!h->people[i].token[0]) {
      snprintf(err, errlen,
               "the tokens file '%s' holds no token for '%s': remove the file to give everyone "
               "new tokens",
               path, h->people[i].name);
      rc = -1;
    }
  return rc;
}

int dt_people_tokens(dt_hub_t *h, const char *path, int fresh, int *renewed, char *err,
                     size_t errlen) {
  *renewed = 0;
  struct stat st;
  if (fresh) {
    if (lstat(path, &st) == 0) {
      if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen,
                 "the tokens file '%s' exists and is not a regular file (a symbolic link?); "
                 "refusing to write tokens there",
                 path);
        return -1;
      }
      /* An earlier session's tokens: that session's journal is being replaced too. */
      if (unlink(path) != 0) {
        snprintf(err, errlen, "cannot replace the tokens file '%s': %s", path, strerror(errno));
        return -1;
      }
      fprintf(stderr, "detente serve: replaced the tokens file '%s' of an earlier session\n",
              path);
    }
    return write_tokens(h, path, err, errlen);
  }
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    *renewed = 1;
    fprintf(stderr, "detente serve: no tokens file '%s': everyone gets a new token\n", path);
    return write_tokens(h, path, err, errlen);
  }
  if (fd < 0) {
    snprintf(err, errlen, "cannot open the tokens file '%s': %s%s", path, strerror(errno),
             errno == ELOOP ? " (a symbolic link: refused)" : "");
    return -1;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
      (st.st_mode & 077)) {
    close(fd);
    snprintf(err, errlen,
             "the tokens file '%s' is not a regular file of yours that only you can read: if "
             "nobody else has read it, 'chmod 600' it and resume again; else remove it and "
             "resume: everyone gets a new token",
             path);
    return -1;
  }
  return read_tokens(h, fd, path, err, errlen);
}

/* Constant time in the length of the expected token. */
static int token_equal(const char *expected, const char *given) {
  size_t n = strlen(expected), g = strlen(given);
  volatile unsigned char diff = (unsigned char)(n != g);
  for (size_t i = 0; i < n; i++) diff |= (unsigned char)(expected[i] ^ (i < g ? given[i] : 0));
  return diff == 0;
}

int dt_people_find(const dt_hub_t *h, const char *token) {
  int hit = -1;
  /* Every token is compared: how long this takes says nothing about who. */
  for (int i = 0; i < h->npeople; i++)
    if (h->people[i].token[0] && token_equal(h->people[i].token, token)) hit = i;
  return hit;
}

json_t *dt_people_json(const dt_hub_t *h) {
  json_t *a = json_array();
  for (int i = 0; i < h->npeople; i++) {
    int n = 0;
    for (const dt_peer_t *c = h->peers; c; c = c->next)
      if (c->authed && !c->closing && c->person == i) n++;
    const dt_person_t *p = &h->people[i];
    json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:i}", "seat", seat_id(h, p->seat), "role",
                                       dt_role_name(p->role), "name", p->name, "connected", n));
  }
  return a;
}

void dt_people_changed(dt_hub_t *h) {
  json_t *o = NULL;
  for (dt_peer_t *c = h->peers; c; c = c->next) {
    if (!c->authed || c->closing || c->local || c->seat != DT_PEER_FAC) continue;
    if (!o) o = json_pack("{s:s,s:o}", "type", "people", "people", dt_people_json(h));
    dt_peer_send(c, json_incref(o));
  }
  json_decref(o);
}

/* ---- channels ------------------------------------------------------------------------ */

/* Channel k (0 <= k < count): "white" (the white cell's own), "team.X" (team
 * X), "white.X" (X and the white cell), "pair.X.Y" (X and Y, X declared
 * first). Writes its id and name and the states in it; the white cell is in
 * every channel. 0, or -1 past the last. */
static int channel_at(const dt_sim_t *sim, int k, char *id, size_t idn, char *name,
                      size_t namen, uint64_t *seats) {
  int n = sim->nstates < 64 ? sim->nstates : 64;
  if (k == 0) {
    snprintf(id, idn, "white"); snprintf(name, namen, "white cell"); *seats = 0;
    return 0;
  }
  k--;
  if (k < n) {
    snprintf(id, idn, "team.%s", sim->states[k]->id);
    snprintf(name, namen, "%s team", sim->states[k]->id);
    *seats = (uint64_t)1 << k;
    return 0;
  }
  k -= n;
  if (k < n) {
    snprintf(id, idn, "white.%s", sim->states[k]->id);
    snprintf(name, namen, "%s and the white cell", sim->states[k]->id);
    *seats = (uint64_t)1 << k;
    return 0;
  }
  k -= n;
  for (int i = 0; i < n; i++) {
    if (k < n - 1 - i) {
      int j = i + 1 + k;
      snprintf(id, idn, "pair.%s.%s", sim->states[i]->id, sim->states[j]->id);
      snprintf(name, namen, "%s and %s", sim->states[i]->id, sim->states[j]->id);
      *seats = (uint64_t)1 << i | (uint64_t)1 << j;
      return 0;
    }
    k -= n - 1 - i;
  }
  return -1;
}

static int in_channel(int seat, uint64_t seats) {
  return seat == DT_PEER_FAC || (seat >= 0 && seat < 64 && (seats >> seat & 1));
}

json_t *dt_channels_json(const dt_hub_t *h, int seat) {
  json_t *a = json_array();
  char id[160], name[160]; uint64_t seats;
  for (int k = 0; channel_at(h->s->sim, k, id, sizeof id, name, sizeof name, &seats) == 0; k++)
    if (in_channel(seat, seats))
      json_array_append_new(a, json_pack("{s:s,s:s}", "id", id, "name", name));
  return a;
}

/* The channel named id: 0 with its states, or -1. The id is read, not
 * searched for: "pair.X.Y" splits where X is a state. */
static int find_channel(const dt_sim_t *sim, const char *id, uint64_t *seats) {
  int n = sim->nstates < 64 ? sim->nstates : 64;
  if (!strcmp(id, "white")) { *seats = 0; return 0; }
  const char *rest = !strncmp(id, "team.", 5) ? id + 5 : !strncmp(id, "white.", 6) ? id + 6 : NULL;
  if (rest) {
    for (int i = 0; i < n; i++)
      if (!strcmp(sim->states[i]->id, rest)) { *seats = (uint64_t)1 << i; return 0; }
    return -1;
  }
  if (strncmp(id, "pair.", 5)) return -1;
  rest = id + 5;
  for (int i = 0; i < n; i++) {
    size_t l = strlen(sim->states[i]->id);
    if (strncmp(rest, sim->states[i]->id, l) || rest[l] != '.') continue;
    for (int j = i + 1; j < n; j++)
      if (!strcmp(rest + l + 1, sim->states[j]->id)) {
        *seats = (uint64_t)1 << i | (uint64_t)1 << j;
        return 0;
      }
  }
  return -1;
}

int dt_channel_check(const dt_hub_t *h, int seat, const char *channel, const char **code,
                     char *msg, size_t msglen) {
  uint64_t seats;
  if (find_channel(h->s->sim, channel, &seats) < 0) {
    *code = "unknown_channel";
    snprintf(msg, msglen,
             "no channel '%.64s' (welcome.channels lists yours: white, team.X, white.X, pair.X.Y)",
             channel);
    return -1;
  }
  if (!in_channel(seat, seats)) {
    *code = "not_member";
    snprintf(msg, msglen, "you are not in channel '%.64s'", channel);
    return -1;
  }
  return 0;
}

/* What members receive for a journaled post. */
static json_t *message_of(json_t *rec) {
  char d[32];
  dt_time_t now = (dt_time_t)json_integer_value(json_object_get(rec, "now"));
  dt_time_format(now, d, sizeof d);
  json_t *m = json_pack("{s:s,s:O,s:O,s:O,s:O,s:s,s:O}", "type", "message", "channel",
                        json_object_get(rec, "channel"), "from", json_object_get(rec, "person"),
                        "seat", json_object_get(rec, "by"), "role", json_object_get(rec, "role"),
                        "date", d, "text", json_object_get(rec, "text"));
  if (!m) return NULL;
  json_t *form = json_object_get(rec, "form");
  if (form) {
    json_object_set(m, "form", form);
    json_object_set(m, "fields", json_object_get(rec, "fields"));
  }
  json_object_set(m, "input", json_object_get(rec, "n"));
  return m;
}

void dt_channel_posted(dt_hub_t *h, json_t *rec, int live) {
  uint64_t seats;
  const char *ch = json_string_value(json_object_get(rec, "channel"));
  if (!ch || find_channel(h->s->sim, ch, &seats) < 0) return;
  json_t *m = message_of(rec);
  if (!m) return;
  if (h->nmsgs == h->capmsgs) {
    size_t nc = h->capmsgs ? 2 * h->capmsgs : 64;
    struct dt_chmsg *p = realloc(h->msgs, nc * sizeof *p);
    if (!p) { json_decref(m); return; }
    h->msgs = p; h->capmsgs = nc;
  }
  struct dt_chmsg *e = &h->msgs[h->nmsgs++];
  e->m = m; e->seats = seats;
  e->input = (int64_t)json_integer_value(json_object_get(rec, "n"));
  if (!live) return;
  /* Peers still catching up get it from the list, in its turn. */
  for (dt_peer_t *c = h->peers; c; c = c->next)
    if (c->authed && !c->closing && !c->mcatching && in_channel(c->seat, seats))
      dt_peer_send(c, json_incref(m));
}

void dt_channel_catch_up(dt_peer_t *c, int64_t last_input) {
  dt_hub_t *h = c->hub;
  size_t lo = 0, hi = h->nmsgs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (h->msgs[mid].input <= last_input) lo = mid + 1; else hi = mid;
  }
  c->mnext = lo;
  c->mcatching = 1;
}

void dt_channel_top_up(dt_peer_t *c, size_t room) {
  dt_hub_t *h = c->hub;
  while (c->mcatching && !c->closing && !c->close_after_flush) {
    if (c->mnext >= h->nmsgs) { c->mcatching = 0; break; }
    if (c->outlen + c->ops->queued(c) >= room) break;
    const struct dt_chmsg *e = &h->msgs[c->mnext++];
    if (in_channel(c->seat, e->seats)) dt_peer_send(c, json_incref(e->m));
  }
}
