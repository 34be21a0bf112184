/* protocol.c: parsing and validation of client messages (protocol.h). Every
 * field is type-checked here, so the server only ever sees well-formed
 * messages; what a message means for the session is serve.c's business. */
#include "protocol.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[DT_MSG__COUNT] = {
  "hello", "ping", "status", "answer", "move", "inject", "pause", "resume", "advance",
  "seat", "broadcast", "end"
};

const char *dt_msg_type_name(int type) {
  return type >= 0 && type < DT_MSG__COUNT ? names[type] : "?";
}

int dt_msg_facilitator_only(int type) {
  return type == DT_MSG_INJECT || type == DT_MSG_PAUSE || type == DT_MSG_RESUME ||
         type == DT_MSG_ADVANCE || type == DT_MSG_SEAT || type == DT_MSG_BROADCAST ||
         type == DT_MSG_END;
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
  else if (!strcmp(end, "w")) mul = 7 * 86400;
  else return -1;
  if (!(v >= 0) || v * (double)mul > 1e15) return -1;
  *out = (int64_t)(v * (double)mul + 0.5);
  return 0;
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
  if (!m->root) { *code = "bad_json"; snprintf(msg, msglen, "malformed JSON: %s", je.text); return -1; }
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
    if (str_field(m->root, "seat", &m->seat, 1)) FAIL("bad_field", "hello: 'seat' must be a non-empty string");
    if (str_field(m->root, "token", &m->token, 1)) FAIL("bad_field", "hello: 'token' must be a non-empty string");
    json_t *ls = json_object_get(m->root, "last_seq");
    if (ls && (!json_is_integer(ls) || json_integer_value(ls) < 0))
      FAIL("bad_field", "hello: 'last_seq' must be an integer >= 0");
    m->last_seq = ls ? json_integer_value(ls) : 0;
    break;
  }
  case DT_MSG_ANSWER:
    if (str_field(m->root, "decision", &m->decision, 1)) FAIL("bad_field", "answer: 'decision' must be a decision id such as \"D1\"");
    if (str_field(m->root, "option", &m->option, 1)) FAIL("bad_field", "answer: 'option' must be a string");
    break;
  case DT_MSG_MOVE:
    if (str_field(m->root, "move", &m->name, 1)) FAIL("bad_field", "move: 'move' must be a move name");
    m->args = json_object_get(m->root, "args");
    if (m->args && !json_is_object(m->args)) FAIL("bad_field", "move: 'args' must be an object");
    if (str_field(m->root, "seat", &m->seat, 0)) FAIL("bad_field", "move: 'seat' must be a string");
    break;
  case DT_MSG_INJECT:
    if (str_field(m->root, "name", &m->name, 1)) FAIL("bad_field", "inject: 'name' must be an inject name");
    break;
  case DT_MSG_ADVANCE: {
    json_t *by = json_object_get(m->root, "by");
    if (by) {
      if (json_is_integer(by) && json_integer_value(by) > 0) m->by = json_integer_value(by);
      else if (!json_is_string(by) || dt_proto_duration(json_string_value(by), &m->by) || m->by <= 0)
        FAIL("bad_field", "advance: 'by' must be a duration such as \"10d\" or seconds > 0");
    }
    if (str_field(m->root, "to", &m->to, 0) || (m->to && strcmp(m->to, "decision")))
      FAIL("bad_field", "advance: 'to' may only be \"decision\"");
    if (!by == !m->to) FAIL("bad_field", "advance: give exactly one of 'by' or 'to'");
    break;
  }
  case DT_MSG_SEAT: {
    if (str_field(m->root, "seat", &m->seat, 1)) FAIL("bad_field", "seat: 'seat' must be a state id");
    json_t *h = json_object_get(m->root, "human");
    if (!json_is_boolean(h)) FAIL("bad_field", "seat: 'human' must be true or false");
    m->human = json_is_true(h);
    break;
  }
  case DT_MSG_BROADCAST:
    if (str_field(m->root, "text", &m->text, 1)) FAIL("bad_field", "broadcast: 'text' must be a non-empty string");
    break;
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
