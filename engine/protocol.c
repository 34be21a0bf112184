/* protocol.c: parsing and validation of client messages (protocol.h), and
 * the words a person types and the lines a person reads (console, join). Every
 * field is type-checked here, so the server only ever sees well-formed
 * messages; what a message means for the session is serve.c's business. */
#include "protocol.h"
#include "output.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[DT_MSG__COUNT] = {
  "hello", "ping", "status", "answer", "move", "inject", "pause", "resume", "advance",
  "seat", "broadcast", "end", "event", "adjudicate", "refuse", "amend", "release", "post",
  "pace"
};

const char *dt_msg_type_name(int type) {
  return type >= 0 && type < DT_MSG__COUNT ? names[type] : "?";
}

int dt_msg_facilitator_only(int type) {
  return type == DT_MSG_INJECT || type == DT_MSG_PAUSE || type == DT_MSG_RESUME ||
         type == DT_MSG_ADVANCE || type == DT_MSG_SEAT || type == DT_MSG_BROADCAST ||
         type == DT_MSG_END || type == DT_MSG_EVENT || type == DT_MSG_ADJUDICATE ||
         type == DT_MSG_REFUSE || type == DT_MSG_AMEND || type == DT_MSG_RELEASE ||
         type == DT_MSG_PACE;
}

int dt_proto_duration(const char *s, int64_t *out) {
  if (!s || !isdigit((unsigned char)*s)) return -1;
  char *end;
  double v = strtod(s, &end);
  int64_t mul;
  if (!*end || !strcmp(end, "s")) mul = 1;
  else if (!strcmp(end, "min")) mul = 60;
  else if (!strcmp(end, "h")) mul = 3600;
  else if (!strcmp(end, "d")) mul = 86400;
  else if (!strcmp(end, "w")) mul = (int64_t)7 * 86400;
  else return -1;
  if (!(v >= 0) || v * (double)mul > 1e15) return -1;
  *out = (int64_t)(v * (double)mul + 0.5);
  return 0;
}

int dt_proto_advance_by(const char *s, int64_t *seconds, int64_t *months) {
  *seconds = *months = 0;
  if (!s) return -1;
  if (!dt_proto_duration(s, seconds)) return *seconds > 0 ? 0 : -1;
  if (!isdigit((unsigned char)*s)) return -1;
  char *end;
  long long n = strtoll(s, &end, 10);
  while (*end == ' ') end++;
  static const struct { const char *w; int64_t secs, months; } units[] = {
    { "s", 1, 0 },       { "sec", 1, 0 },         { "secs", 1, 0 },      { "second", 1, 0 },
    { "seconds", 1, 0 }, { "min", 60, 0 },        { "mins", 60, 0 },     { "minute", 60, 0 },
    { "minutes", 60, 0 },{ "h", 3600, 0 },        { "hour", 3600, 0 },   { "hours", 3600, 0 },
    { "d", 86400, 0 },   { "day", 86400, 0 },     { "days", 86400, 0 },  { "w", 604800, 0 },
    { "week", 604800, 0 },{ "weeks", 604800, 0 }, { "mo", 0, 1 },        { "month", 0, 1 },
    { "months", 0, 1 },  { "y", 0, 12 },          { "year", 0, 12 },     { "years", 0, 12 },
  };
  for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
    if (strcmp(end, units[i].w)) continue;
    if (n < 1) return -1;
    if (units[i].months) {
      if (n > 1200 / units[i].months) return -1;   /* a century at most */
      *months = n * units[i].months;
    } else {
      if ((double)n * (double)units[i].secs > 1e15) return -1;
      *seconds = n * units[i].secs;
    }
    return 0;
  }
  return -1;
}

/* Real time: "250ms", "10s", "2min" or a bare number of seconds, at most
 * about 31 years (so it fits in milliseconds with room). */
static int real_ms(const char *s, int64_t *ms) {
  if (!s || !isdigit((unsigned char)*s)) return -1;
  char *end;
  double v = strtod(s, &end);
  double mul = !strcmp(end, "ms")             ? 1
               : (!*end || !strcmp(end, "s")) ? 1000
               : !strcmp(end, "min")          ? 60000
                                              : -1;
  if (mul < 0 || !(v > 0) || v * mul > 1e12) return -1;
  *ms = (int64_t)(v * mul + 0.5);
  return *ms > 0 ? 0 : -1;
}

const char dt_proto_pace_help[] =
    "simulated time per real time, SIM=REAL such as \"1d=10s\" or \"2d=250ms\" (SIM in s, min, "
    "h, d or w; REAL in ms, s or min)";

int dt_proto_pace(const char *s, int64_t *sim, int64_t *ms) {
  const char *eq = s ? strchr(s, '=') : NULL;
  char simpart[64];
  int64_t a, b;
  if (!eq || (size_t)(eq - s) >= sizeof simpart) return -1;
  memcpy(simpart, s, (size_t)(eq - s));
  simpart[eq - s] = 0;
  if (dt_proto_duration(simpart, &a) || a <= 0 || real_ms(eq + 1, &b)) return -1;
  if ((double)a / (double)b > (double)DT_PROTO_PACE_MAX) return -1;
  *sim = a; *ms = b;
  return 0;
}

void dt_proto_pace_text(int64_t sim, int64_t ms, char *buf, size_t len) {
  static const struct { const char *unit; int64_t n; } su[] = {
    { "d", 86400 }, { "h", 3600 }, { "min", 60 }, { "s", 1 } },
    ru[] = { { "min", 60000 }, { "s", 1000 }, { "ms", 1 } };
  size_t i = 0, k = 0;
  while (i + 1 < sizeof su / sizeof *su && sim % su[i].n) i++;
  while (k + 1 < sizeof ru / sizeof *ru && ms % ru[k].n) k++;
  snprintf(buf, len, "%lld%s=%lld%s", (long long)(sim / su[i].n), su[i].unit,
           (long long)(ms / ru[k].n), ru[k].unit);
}

#define FAIL(c, ...) do { *code = (c); snprintf(msg, msglen, __VA_ARGS__); goto bad; } while (0)

static int str_field(json_t *o, const char *key, const char **out, int required) {
  json_t *v = json_object_get(o, key);
  if (!v) { *out = NULL; return required ? -1 : 0; }
  if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 4096) return -1;
  *out = json_string_value(v);
  return 0;
}

int dt_msg_parse(const char *line, size_t n, dt_msg_t *m, const char **code,
                 char *msg, size_t msglen) {
  memset(m, 0, sizeof *m);
  json_error_t je;
  m->root = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
  if (!m->root) {
    *code = "bad_json";
    snprintf(msg, msglen, "malformed JSON: %s", je.text);
    return -1;
  }
  if (!json_is_object(m->root)) FAIL("bad_json", "a message is a JSON object");
  m->id = json_object_get(m->root, "id");
  if (m->id && !json_is_string(m->id) && !json_is_integer(m->id))
    FAIL("bad_field", "'id' must be a string or an integer");
  json_t *t = json_object_get(m->root, "type");
  if (!json_is_string(t)) FAIL("bad_field", "'type' must be a string");
  m->type = -1;
  for (int i = 0; i < DT_MSG__COUNT; i++)
    if (!strcmp(json_string_value(t), names[i])) m->type = i;
  if (m->type < 0) FAIL("unknown_type", "unknown message type '%.64s'", json_string_value(t));
  switch (m->type) {
  case DT_MSG_HELLO: {
    json_t *v = json_object_get(m->root, "v");
    if (!json_is_integer(v)) FAIL("bad_field", "hello: 'v' (protocol version) must be an integer");
    if (json_integer_value(v) != DT_PROTO_VERSION)
      FAIL("version", "hello: this server speaks protocol version %d", DT_PROTO_VERSION);
    if (str_field(m->root, "seat", &m->seat, 1))
      FAIL("bad_field", "hello: 'seat' must be a non-empty string");
    if (str_field(m->root, "token", &m->token, 1))
      FAIL("bad_field", "hello: 'token' must be a non-empty string");
    json_t *ls = json_object_get(m->root, "last_seq");
    if (ls && (!json_is_integer(ls) || json_integer_value(ls) < 0))
      FAIL("bad_field", "hello: 'last_seq' must be an integer >= 0");
    m->last_seq = ls ? json_integer_value(ls) : 0;
    json_t *li = json_object_get(m->root, "last_input");
    if (li && (!json_is_integer(li) || json_integer_value(li) < 0))
      FAIL("bad_field", "hello: 'last_input' must be an integer >= 0");
    m->last_input = li ? json_integer_value(li) : 0;
    break;
  }
  case DT_MSG_ANSWER:
    if (str_field(m->root, "decision", &m->decision, 1))
      FAIL("bad_field", "answer: 'decision' must be a decision id such as \"D1\"");
    if (str_field(m->root, "option", &m->option, 1))
      FAIL("bad_field", "answer: 'option' must be a string");
    break;
  case DT_MSG_MOVE:
    if (str_field(m->root, "move", &m->name, 1))
      FAIL("bad_field", "move: 'move' must be a move name");
    m->args = json_object_get(m->root, "args");
    if (m->args && !json_is_object(m->args)) FAIL("bad_field", "move: 'args' must be an object");
    if (str_field(m->root, "seat", &m->seat, 0)) FAIL("bad_field", "move: 'seat' must be a string");
    break;
  case DT_MSG_INJECT:
    if (str_field(m->root, "name", &m->name, 1))
      FAIL("bad_field", "inject: 'name' must be an inject name");
    m->args = json_object_get(m->root, "args");
    if (m->args && !json_is_object(m->args)) FAIL("bad_field", "inject: 'args' must be an object");
    break;
  case DT_MSG_ADVANCE: {
    json_t *by = json_object_get(m->root, "by");
    if (by) {
      if (json_is_integer(by) && json_integer_value(by) > 0) m->by = json_integer_value(by);
      else if (!json_is_string(by) ||
               dt_proto_advance_by(json_string_value(by), &m->by, &m->by_months))
        FAIL("bad_field", "advance: 'by' must be a duration such as \"10d\", \"36 hours\", "
                          "\"2 weeks\" or \"1 month\", or seconds > 0");
    }
    if (str_field(m->root, "to", &m->to, 0) || (m->to && strcmp(m->to, "decision")))
      FAIL("bad_field", "advance: 'to' may only be \"decision\"");
    if (!by == !m->to) FAIL("bad_field", "advance: give exactly one of 'by' or 'to'");
    break;
  }
  case DT_MSG_SEAT: {
    if (str_field(m->root, "seat", &m->seat, 1))
      FAIL("bad_field", "seat: 'seat' must be a state id");
    json_t *h = json_object_get(m->root, "human");
    if (!json_is_boolean(h)) FAIL("bad_field", "seat: 'human' must be true or false");
    m->human = json_is_true(h);
    break;
  }
  case DT_MSG_BROADCAST:
    if (str_field(m->root, "text", &m->text, 1))
      FAIL("bad_field", "broadcast: 'text' must be a non-empty string");
    break;
  case DT_MSG_EVENT: {
    if (str_field(m->root, "text", &m->text, 1))
      FAIL("bad_field", "event: 'text' must be a non-empty string (at most 4096 bytes)");
    m->seats = json_object_get(m->root, "seats");
    if (m->seats) {
      size_t ns = json_array_size(m->seats);
      int ok = json_is_array(m->seats) && ns >= 1 && ns <= 64;
      size_t i; json_t *v;
      json_array_foreach(m->seats, i, v) if (!json_is_string(v)) ok = 0;
      if (!ok)
        FAIL("bad_field", "event: 'seats' must be a list of 1 to 64 seat ids "
                          "(leave it out for everyone)");
    }
    break;
  }
  case DT_MSG_REFUSE:
  case DT_MSG_AMEND: {
    const char *what = m->type == DT_MSG_REFUSE ? "refuse" : "amend";
    json_t *in = json_object_get(m->root, "input");
    if (!json_is_integer(in) || json_integer_value(in) < 1)
      FAIL("bad_field", "%s: 'input' must be the number of a held move (an integer >= 1)", what);
    m->input = json_integer_value(in);
    if (str_field(m->root, "reason", &m->reason, 1))
      FAIL("bad_field", "%s: 'reason' must be a non-empty string (at most 4096 bytes)", what);
    if (m->type == DT_MSG_AMEND) {
      m->args = json_object_get(m->root, "args");
      if (!json_is_object(m->args))
        FAIL("bad_field", "amend: 'args' must be an object: the move's arguments as amended");
    }
    break;
  }
  case DT_MSG_POST: {
    if (str_field(m->root, "channel", &m->channel, 1))
      FAIL("bad_field", "post: 'channel' must be a channel id such as \"team.USA\"");
    if (str_field(m->root, "form", &m->form, 0))
      FAIL("bad_field", "post: 'form' must be the name of a form the scenario declares");
    json_t *tx = json_object_get(m->root, "text");
    if (tx && (!json_is_string(tx) || json_string_length(tx) > 4096))
      FAIL("bad_field", "post: 'text' must be a string of at most 4096 bytes");
    m->text = tx ? json_string_value(tx) : "";
    if (!m->form && !*m->text)
      FAIL("bad_field", "post: give a non-empty 'text', or a 'form' with its 'fields'");
    m->fields = json_object_get(m->root, "fields");
    if (m->fields && !json_is_object(m->fields))
      FAIL("bad_field", "post: 'fields' must be an object");
    if (m->fields && !m->form) FAIL("bad_field", "post: 'fields' go with a 'form'");
    break;
  }
  case DT_MSG_PACE: {
    json_t *p = json_object_get(m->root, "pace");
    if (!json_is_string(p))
      FAIL("bad_field", "pace: 'pace' must be a string: %s", dt_proto_pace_help);
    if (dt_proto_pace(json_string_value(p), &m->pace_sim, &m->pace_real_ms))
      FAIL("bad_field", "pace: 'pace' must be %s, not \"%.64s\"", dt_proto_pace_help,
           json_string_value(p));
    break;
  }
  default: break;
  }
  return 0;
bad:
  if (!json_is_object(m->root)) m->id = NULL;
  return -1;   /* root stays, so the caller can echo the id; dt_msg_free it */
}

void dt_msg_free(dt_msg_t *m) {
  if (m->root) json_decref(m->root);
  m->root = NULL;
}

/* ---- for people: typed commands in, readable lines out -------------------- */

const char dt_proto_command_help[] =
    "  status                      clock, seats, who is connected, pending decisions\n"
    "  answer D1 OPTION            answer a pending decision (the facilitator may override any)\n"
    "  move NAME [key=value...]    make a move (key=\"quoted value\" for spaces), or: move NAME "
    "{json}\n"
    "                              (the facilitator names the seat: move SEAT NAME ...)\n"
    "  pause | resume              stop or restart the clock (facilitator)\n"
    "  pace 1d=10s                 simulated time per real time while the clock runs "
    "(facilitator)\n"
    "  advance 10d | advance 1 month | advance decision\n"
    "                              run the clock by a duration, or to the next human decision "
    "(facilitator)\n"
    "  inject NAME [key=value...]  fire a named inject with its arguments (facilitator)\n"
    "  seat ID human|policy        hand a seat to its team or to its policy (facilitator)\n"
    "  say TEXT                    a message to everyone (facilitator)\n"
    "  event [@ID,ID] TEXT         a white-cell event on the timeline, for everyone or the seats\n"
    "                              named (facilitator)\n"
    "  adjudicate                  close the turn's planning: review its moves (umpire)\n"
    "  refuse N REASON             refuse held move N, with the reason (umpire)\n"
    "  amend N key=value... -- REASON\n"
    "                              amend held move N's arguments, with the reason (umpire)\n"
    "  release                     apply the turn's moves and run the clock to its end (umpire)\n"
    "  post CHANNEL TEXT           a message in a channel (welcome lists yours: team.USA,\n"
    "                              white.USA, pair.RUS.USA, white)\n"
    "  form CHANNEL NAME [key=value...] [text=\"...\"]\n"
    "                              a message in one of the scenario's forms (rfi, intent...)\n"
    "  end                         end the session (facilitator)\n"
    "  {...}                       a raw protocol message (docs/protocol.md)\n";

/* The k-th word (0-based) of s into w; returns what follows it, or NULL. */
static const char *word(const char *s, int k, char *w, size_t wlen) {
  for (int i = 0; i <= k; i++) {
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) { if (wlen) w[0] = 0; return NULL; }
    const char *b = s;
    while (*s && *s != ' ' && *s != '\t') s++;
    if (i == k) {
      size_t n = (size_t)(s - b) < wlen - 1 ? (size_t)(s - b) : wlen - 1;
      memcpy(w, b, n); w[n] = 0;
    }
  }
  while (*s == ' ' || *s == '\t') s++;
  return s;
}

/* A typed value: a finite number when it reads as one, true/false, else text. */
static json_t *typed_value(const char *v) {
  if (!strcmp(v, "true")) return json_true();
  if (!strcmp(v, "false")) return json_false();
  if (*v && strchr("+-.0123456789", *v)) {
    char *end;
    double d = strtod(v, &end);
    if (!*end && d == d && d < 1e300 && d > -1e300) {
      /* Only a value within long long's range may be converted to it. */
      if (d > -9.2e18 && d < 9.2e18 && d == (double)(long long)d && !strpbrk(v, ".eE"))
        return json_integer((json_int_t)d);
      return json_real(d);
    }
  }
  return json_string(v);
}

/* Move arguments: {json} or key=value words, where a value may be quoted
 * ("..." or '...', a backslash escapes the quote or itself) to hold spaces; a
 * quoted value is always text. NULL with msg set on error. */
static json_t *move_args(const char *rest, char *msg, size_t msglen) {
  if (!rest || !*rest) return json_object();
  if (*rest == '{') {
    json_error_t je;
    json_t *a = json_loads(rest, 0, &je);
    if (!json_is_object(a)) {
      json_decref(a);
      snprintf(msg, msglen, "move: the arguments must be a JSON object");
      return NULL;
    }
    return a;
  }
  json_t *args = json_object();
  char key[256], val[4096];
  const char *p = rest;
  for (;;) {
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) break;
    const char *k = p;
    while (*p && *p != '=' && *p != ' ' && *p != '\t') p++;
    if (*p != '=' || p == k || (size_t)(p - k) >= sizeof key) {
      snprintf(msg, msglen, "arguments are key=value or key=\"a quoted value\" (got '%.64s')", k);
      json_decref(args);
      return NULL;
    }
    memcpy(key, k, (size_t)(p - k)); key[p - k] = 0;
    p++;
    size_t n = 0;
    if (*p == '"' || *p == '\'') {
      char q = *p++;
      while (*p && *p != q) {
        if (*p == '\\' && (p[1] == q || p[1] == '\\')) p++;
        if (n + 1 < sizeof val) val[n++] = *p;
        p++;
      }
      if (*p != q) {
        snprintf(msg, msglen, "%s: the quoted value is not closed (a %c is missing)", key, q);
        json_decref(args);
        return NULL;
      }
      p++;
      val[n] = 0;
      json_object_set_new(args, key, json_string(val));
    } else {
      while (*p && *p != ' ' && *p != '\t') { if (n + 1 < sizeof val) val[n++] = *p; p++; }
      val[n] = 0;
      json_object_set_new(args, key, typed_value(val));
    }
  }
  return args;
}

json_t *dt_proto_command(const char *line, int facilitator, char *msg, size_t msglen) {
  if (msglen) msg[0] = 0;
  while (*line == ' ' || *line == '\t') line++;
  if (*line == '{') {
    json_t *o = json_loads(line, 0, NULL);
    if (!json_is_object(o)) {
      json_decref(o);
      snprintf(msg, msglen, "not a JSON object");
      return NULL;
    }
    return o;
  }
  char w1[32], w2[256], w3[256];
  const char *rest1 = word(line, 0, w1, sizeof w1);
  if (!rest1) return NULL;
  const char *rest2 = word(line, 1, w2, sizeof w2);
  const char *rest3 = word(line, 2, w3, sizeof w3);
  int n = !rest2 ? 1 : !rest3 ? 2 : 3;
  if (!strcmp(w1, "status") || !strcmp(w1, "ping") || !strcmp(w1, "pause") ||
      !strcmp(w1, "resume") || !strcmp(w1, "end") || !strcmp(w1, "adjudicate") ||
      !strcmp(w1, "release"))
    return json_pack("{s:s}", "type", w1);
  if (!strcmp(w1, "refuse") || !strcmp(w1, "amend")) {
    int refuse = w1[0] == 'r';
    char *end;
    long long in = n >= 2 ? strtoll(w2, &end, 10) : 0;
    if (n < 3 || *end || in < 1) {
      snprintf(msg, msglen,
               refuse ? "refuse: say 'refuse N REASON' (N: the held move's input number)"
                      : "amend: say 'amend N key=value... -- REASON'");
      return NULL;
    }
    if (refuse)
      return json_pack("{s:s,s:I,s:s}", "type", "refuse", "input", (json_int_t)in, "reason",
                       rest2);
    const char *sep = strstr(rest2, " -- ");
    if (!sep || !sep[4]) {
      snprintf(msg, msglen, "amend: say 'amend N key=value... -- REASON'");
      return NULL;
    }
    char abuf[8192];
    snprintf(abuf, sizeof abuf, "%.*s", (int)(sep - rest2), rest2);
    json_t *args = move_args(abuf, msg, msglen);
    if (!args) return NULL;
    return json_pack("{s:s,s:I,s:o,s:s}", "type", "amend", "input", (json_int_t)in, "args", args,
                     "reason", sep + 4);
  }
  if (!strcmp(w1, "advance")) {
    if (n < 2) {
      snprintf(msg, msglen, "advance: say 'advance 10d' or 'advance decision'");
      return NULL;
    }
    /* "advance 1 month": the duration may be two words */
    char by[256];
    snprintf(by, sizeof by, "%s", rest1);
    for (size_t k = strlen(by); k && isspace((unsigned char)by[k - 1]); k--) by[k - 1] = 0;
    return !strcmp(w2, "decision") ? json_pack("{s:s,s:s}", "type", "advance", "to", "decision")
                                   : json_pack("{s:s,s:s}", "type", "advance", "by", by);
  }
  if (!strcmp(w1, "pace")) {
    if (n != 2) {
      snprintf(msg, msglen, "pace: say 'pace 1d=10s' (simulated time per real time)");
      return NULL;
    }
    return json_pack("{s:s,s:s}", "type", "pace", "pace", w2);
  }
  if (!strcmp(w1, "inject")) {
    if (n < 2) { snprintf(msg, msglen, "inject: say 'inject NAME [key=value...]'"); return NULL; }
    json_t *args = move_args(rest2, msg, msglen);
    if (!args) return NULL;
    json_t *o = json_pack("{s:s,s:s}", "type", "inject", "name", w2);
    if (json_object_size(args)) json_object_set_new(o, "args", args); else json_decref(args);
    return o;
  }
  if (!strcmp(w1, "answer")) {
    if (n < 3) { snprintf(msg, msglen, "answer: say 'answer D1 OPTION'"); return NULL; }
    return json_pack("{s:s,s:s,s:s}", "type", "answer", "decision", w2, "option", w3);
  }
  if (!strcmp(w1, "seat")) {
    if (n < 3 || (strcmp(w3, "human") && strcmp(w3, "policy"))) {
      snprintf(msg, msglen, "seat: say 'seat ID human' or 'seat ID policy'");
      return NULL;
    }
    return json_pack("{s:s,s:s,s:b}", "type", "seat", "seat", w2, "human", !strcmp(w3, "human"));
  }
  if (!strcmp(w1, "event")) {
    if (n < 2) {
      snprintf(msg, msglen, "event: say 'event TEXT' or 'event @USA,RUS TEXT'");
      return NULL;
    }
    json_t *o = json_pack("{s:s}", "type", "event");
    const char *text = rest1;
    if (w2[0] == '@') {
      if (n < 3) {
        json_decref(o);
        snprintf(msg, msglen, "event: say 'event @USA,RUS TEXT'");
        return NULL;
      }
      json_t *seats = json_array();
      char buf[256];
      snprintf(buf, sizeof buf, "%s", w2 + 1);
      for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        json_array_append_new(seats, json_string(t));
      json_object_set_new(o, "seats", seats);
      text = rest2;
    }
    json_object_set_new(o, "text", json_string(text));
    return o;
  }
  if (!strcmp(w1, "post")) {
    if (n < 3) { snprintf(msg, msglen, "post: say 'post CHANNEL TEXT'"); return NULL; }
    return json_pack("{s:s,s:s,s:s}", "type", "post", "channel", w2, "text", rest2);
  }
  if (!strcmp(w1, "form")) {
    if (n < 3) {
      snprintf(msg, msglen, "form: say 'form CHANNEL NAME [key=value...] [text=\"...\"]'");
      return NULL;
    }
    json_t *fields = move_args(rest3, msg, msglen);
    if (!fields) return NULL;
    json_t *o = json_pack("{s:s,s:s,s:s}", "type", "post", "channel", w2, "form", w3);
    json_t *text = json_object_get(fields, "text");
    if (json_is_string(text)) {
      json_object_set(o, "text", text);
      json_object_del(fields, "text");
    }
    json_object_set_new(o, "fields", fields);
    return o;
  }
  if (!strcmp(w1, "say") || !strcmp(w1, "broadcast")) {
    if (n < 2) { snprintf(msg, msglen, "say: say 'say TEXT'"); return NULL; }
    return json_pack("{s:s,s:s}", "type", "broadcast", "text", rest1);
  }
  if (!strcmp(w1, "move")) {
    if (n < (facilitator ? 3 : 2)) {
      snprintf(msg, msglen,
               facilitator ? "move: say 'move SEAT NAME [key=value...]'"
                           : "move: say 'move NAME [key=value...]'");
      return NULL;
    }
    json_t *args = move_args(facilitator ? rest3 : rest2, msg, msglen);
    if (!args) return NULL;
    json_t *o =
        json_pack("{s:s,s:s,s:o}", "type", "move", "move", facilitator ? w3 : w2, "args", args);
    if (facilitator) json_object_set_new(o, "seat", json_string(w2));
    return o;
  }
  return NULL;
}

static const char *sget(json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "";
}

/* A JSON value as a person reads it: strings bare, the rest as JSON with
 * numbers as the timeline prints them (round=19, not 19.0). */
static void put_value(FILE *f, json_t *v) {
  if (json_is_string(v)) { fputs(json_string_value(v), f); return; }
  char *s = dt_json_show(v);
  fputs(s ? s : "?", f);
  free(s);
}

static int cmpkey(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* key=value pairs in key order, so the line does not depend on arrival order. */
static void put_pairs(FILE *f, json_t *obj) {
  size_t n = json_object_size(obj), i = 0;
  if (!n) return;
  const char **keys = malloc(n * sizeof *keys);
  if (!keys) return;
  for (void *it = json_object_iter(obj); it && i < n; it = json_object_iter_next(obj, it))
    keys[i++] = json_object_iter_key(it);
  qsort(keys, i, sizeof *keys, cmpkey);
  for (size_t k = 0; k < i; k++) {
    fprintf(f, "%s%s=", k ? " " : "", keys[k]);
    put_value(f, json_object_get(obj, keys[k]));
  }
  free(keys);
}

/* The first line of a message: tracebacks stay on the server's log. */
static void put_first_line(FILE *f, const char *s) {
  const char *nl = strchr(s, '\n');
  fprintf(f, "%.*s", nl ? (int)(nl - s) : (int)strlen(s), s);
}

static void put_request(FILE *f, json_t *id) {
  if (json_is_string(id)) fprintf(f, ": %s", json_string_value(id));
  else if (json_is_integer(id)) fprintf(f, " (request %lld)", (long long)json_integer_value(id));
}

static void put_decision(FILE *f, json_t *d) {
  fprintf(f, "%s %s %s", sget(d, "decision"), sget(d, "seat"), sget(d, "name"));
  json_t *dl = json_object_get(d, "deadline");
  if (json_is_string(dl)) fprintf(f, " until %s", json_string_value(dl));
  else fprintf(f, " (no deadline)");
}

char *dt_proto_text(json_t *m) {
  if (!json_is_object(m)) return NULL;
  char *buf = NULL; size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return NULL;
  const char *type = sget(m, "type");
  json_t *id = json_object_get(m, "id");
  if (!strcmp(type, "event")) {
    const char *by = json_string_value(json_object_get(m, "by"));
    const char *text = json_string_value(json_object_get(m, "text"));
    const char *vis = sget(m, "vis");
    fprintf(f, "%s  %-8s %s%s", sget(m, "date"), by ? by : "-", text ? text : sget(m, "kind"),
            !strcmp(vis, "private")   ? " (private)"
            : !strcmp(vis, "parties") ? " (parties only)"
                                      : "");
  } else if (!strcmp(type, "welcome")) {
    fprintf(f, "joined '%s' as %s at %s", sget(m, "title"), sget(m, "seat"), sget(m, "clock"));
    if (json_is_string(json_object_get(m, "name")) && strcmp(sget(m, "name"), sget(m, "seat")))
      fprintf(f, " (%s, %s)", sget(m, "name"), sget(m, "role"));
  } else if (!strcmp(type, "decision.closed")) {
    fprintf(f, "decision %s for %s closed: %s (%s)", sget(m, "decision"), sget(m, "seat"),
            sget(m, "answer"), sget(m, "how"));
  } else if (!strcmp(type, "decision")) {
    fprintf(f, "decision %s for %s: %s", sget(m, "decision"), sget(m, "seat"), sget(m, "name"));
    if (json_is_string(json_object_get(m, "doc"))) fprintf(f, " (%s)", sget(m, "doc"));
    fprintf(f, "; options:");
    size_t i; json_t *v;
    json_array_foreach(json_object_get(m, "options"), i, v)
        fprintf(f, "%s%s", i ? " | " : " ", json_string_value(v));
    fprintf(f, "; default %s", sget(m, "default"));
    json_t *dl = json_object_get(m, "deadline");
    if (json_is_string(dl)) fprintf(f, " at the deadline %s", json_string_value(dl));
    else fprintf(f, "; no deadline");
    if (json_object_size(json_object_get(m, "context"))) {
      fprintf(f, "; context ");
      put_pairs(f, json_object_get(m, "context"));
    }
  } else if (!strcmp(type, "ack")) {
    json_t *acc = json_object_get(m, "accepted");
    if (json_is_true(json_object_get(m, "held"))) {
      fprintf(f, "held");
      put_request(f, id);
      fprintf(f, " (input %lld, for turn %lld)",
              (long long)json_integer_value(json_object_get(m, "input")),
              (long long)json_integer_value(json_object_get(m, "turn")));
    } else if (json_is_false(acc)) {
      fprintf(f, "refused");
      put_request(f, id);
      fprintf(f, ": %s (input %lld)", sget(m, "reason"),
              (long long)json_integer_value(json_object_get(m, "input")));
    } else {
      fprintf(f, "ok");
      put_request(f, id);
      fprintf(f, " (%sinput %lld)", json_is_true(acc) ? "accepted, " : "",
              (long long)json_integer_value(json_object_get(m, "input")));
    }
  } else if (!strcmp(type, "error")) {
    fprintf(f, "error");
    put_request(f, id);
    fprintf(f, ": ");
    put_first_line(f, sget(m, "message"));
    fprintf(f, " [%s", sget(m, "code"));
    if (json_is_string(json_object_get(m, "during"))) fprintf(f, " during %s", sget(m, "during"));
    fprintf(f, "]");
  } else if (!strcmp(type, "status")) {
    int paused = json_is_true(json_object_get(m, "paused")),
        adv = json_is_true(json_object_get(m, "advancing"));
    fprintf(f, "clock %s (%s, %s mode", sget(m, "clock"),
            json_is_true(json_object_get(m, "ended")) ? "ended"
            : adv                                     ? "advancing"
            : paused                                  ? "paused"
                                                      : "running",
            sget(m, "mode"));
    if (!strcmp(sget(m, "mode"), "pace") && *sget(m, "pace"))
      fprintf(f, " at %s", sget(m, "pace"));
    fprintf(f, "), %lld inputs, %lld events; seats:",
            (long long)json_integer_value(json_object_get(m, "inputs")),
            (long long)json_integer_value(json_object_get(m, "events")));
    size_t i; json_t *v;
    json_array_foreach(json_object_get(m, "seats"), i, v) {
      long long c = json_integer_value(json_object_get(v, "connected"));
      fprintf(f, "%s %s %s", i ? "," : "", sget(v, "id"),
              json_is_true(json_object_get(v, "human")) ? "human" : "policy");
      if (c || json_is_true(json_object_get(v, "human"))) fprintf(f, " (%lld connected)", c);
    }
    fprintf(f, "; facilitators %lld; pending decisions:",
            (long long)json_integer_value(json_object_get(m, "facilitators")));
    if (!json_array_size(json_object_get(m, "decisions"))) fprintf(f, " none");
    json_array_foreach(json_object_get(m, "decisions"), i, v) {
      fprintf(f, "%s ", i ? "," : "");
      put_decision(f, v);
    }
    json_t *turn = json_object_get(m, "turn");
    if (json_is_object(turn))
      fprintf(f, "; turn %lld %s, runs to %s",
              (long long)json_integer_value(json_object_get(turn, "number")), sget(turn, "phase"),
              sget(turn, "ends"));
    if (json_is_string(json_object_get(m, "error"))) {
      fprintf(f, "; last scenario error: ");
      put_first_line(f, sget(m, "error"));
    }
  } else if (!strcmp(type, "clock")) {
    /* The clock's state changed (paused, resumed, an advance begun or done,
     * a new pace, held by a decision or let go): what it is now. */
    int held = json_is_true(json_object_get(m, "held"));
    fprintf(f, "the clock: %s, %s (%s mode", sget(m, "clock"),
            held                                            ? "waiting for a team's decision"
            : json_is_true(json_object_get(m, "advancing")) ? "advancing"
            : json_is_true(json_object_get(m, "paused"))    ? "paused"
                                                            : "running",
            sget(m, "mode"));
    if (!strcmp(sget(m, "mode"), "pace") && *sget(m, "pace")) fprintf(f, " at %s", sget(m, "pace"));
    fprintf(f, ")");
  } else if (!strcmp(type, "moves")) {
    fprintf(f, "moves offered now:");
    size_t i; json_t *v;
    if (!json_array_size(json_object_get(m, "moves"))) fprintf(f, " none");
    json_array_foreach(json_object_get(m, "moves"), i, v) fprintf(f, " %s", sget(v, "name"));
  } else if (!strcmp(type, "turn")) {
    fprintf(f, "turn %lld: %s, runs to %s; moves:",
            (long long)json_integer_value(json_object_get(m, "number")), sget(m, "phase"),
            sget(m, "ends"));
    size_t i; json_t *v;
    if (!json_array_size(json_object_get(m, "moves"))) fprintf(f, " none");
    json_array_foreach(json_object_get(m, "moves"), i, v) {
      fprintf(f, "%s #%lld %s %s", i ? ";" : "",
              (long long)json_integer_value(json_object_get(v, "input")), sget(v, "seat"),
              sget(v, "move"));
      if (json_object_size(json_object_get(v, "args"))) {
        fprintf(f, " ");
        put_pairs(f, json_object_get(v, "args"));
      }
      fprintf(f, " %s%s", sget(v, "status"),
              json_is_true(json_object_get(v, "amended")) ? " (amended)" : "");
      if (json_is_string(json_object_get(v, "reason")))
        fprintf(f, " by the %s: %s", sget(v, "by"), sget(v, "reason"));
    }
  } else if (!strcmp(type, "message") && json_is_string(json_object_get(m, "channel"))) {
    fprintf(f, "[%s] %s (%s %s, %s)", sget(m, "channel"), sget(m, "from"), sget(m, "seat"),
            sget(m, "role"), sget(m, "date"));
    if (json_is_string(json_object_get(m, "form"))) {
      fprintf(f, " %s: ", sget(m, "form"));
      put_pairs(f, json_object_get(m, "fields"));
      if (*sget(m, "text")) fprintf(f, ";");
    } else {
      fprintf(f, ":");
    }
    if (*sget(m, "text")) fprintf(f, " %s", sget(m, "text"));
  } else if (!strcmp(type, "people")) {
    fprintf(f, "people:");
    size_t i; json_t *v;
    json_array_foreach(json_object_get(m, "people"), i, v)
        fprintf(f, "%s %s (%s %s)%s", i ? "," : "", sget(v, "name"), sget(v, "seat"),
                sget(v, "role"),
                json_integer_value(json_object_get(v, "connected")) ? " connected" : "");
  } else if (!strcmp(type, "message")) {
    fprintf(f, "message from %s (%s): %s", sget(m, "from"), sget(m, "date"), sget(m, "text"));
  } else if (!strcmp(type, "notice")) {
    fprintf(f, "notice: %s", sget(m, "text"));
  } else if (!strcmp(type, "pong")) {
    fprintf(f, "pong");
  } else if (!strcmp(type, "bye")) {
    fprintf(f, "session ended: %s; outcomes: ", sget(m, "text"));
    if (!json_object_size(json_object_get(m, "outcomes"))) fprintf(f, "none");
    put_pairs(f, json_object_get(m, "outcomes"));
  } else {
    char *s = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fputs(s ? s : "?", f);
    free(s);
  }
  if (fclose(f) != 0) { free(buf); return NULL; }
  return buf;
}
