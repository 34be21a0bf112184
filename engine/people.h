/* people.h: the people of a live session and what they say to each other.
 * Several people may hold one seat, each with a token and a role: the lead
 * answers the seat's decisions and makes its moves, a member sees what the
 * seat sees and talks in its channels. The white cell (seat "facilitator")
 * has an umpire, who steers the session, and a request-for-information desk
 * (rfi), which sees everything and talks in every channel but steers nothing.
 * Channels: the white cell's own, each team's own, each team with the white
 * cell, each pair of teams (with the white cell); a message posted in one is
 * journaled and seen by its members only, live, on reconnect and on resume.
 * docs/protocol.md, "People and roles" and "Channels".
 *
 * Program only (like hub.c): no sockets, no Lua. Ownership: the hub owns its
 * people and messages (dt_people_free); json_t results are new references. */
#ifndef DT_PEOPLE_H
#define DT_PEOPLE_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "hub.h"

enum { DT_ROLE_LEAD, DT_ROLE_MEMBER, DT_ROLE_UMPIRE, DT_ROLE_RFI };

typedef struct dt_person dt_person_t;

struct dt_person {
  char name[64];
  int seat;                       /* state index, or DT_PEER_FAC (the white cell) */
  int role;                       /* DT_ROLE_* */
  char token[33];                 /* 128 bits, hex */
};

/* A message posted in a channel, as the members receive it. */
struct dt_chmsg {
  json_t *m;                      /* {"type":"message", ...} */
  uint64_t seats;                 /* bit i: state i's people see it (the white cell always) */
  int64_t input;                  /* the post's input number */
};

const char *dt_role_name(int role);

/* Reads a people file (CSV with a header: name,seat,role; seat is a state id
 * or "facilitator"/"white" for the white cell; role lead, member, umpire or
 * rfi) as a list [{name, seat, role}] (new reference), checked against the
 * scenario's states. NULL with err set, naming the file and the line. */
json_t *dt_people_read(const char *path, dt_sim_t *sim, char *err, size_t errlen);
/* Sets the hub's people from such a list, or the default (NULL): one lead per
 * state, named by its id, and one umpire named "facilitator". 0, -1 with err,
 * or -2 with err when a state's id cannot name a seat (or, without a list, a
 * person): "facilitator", "white", "white cell", or not 1-63 printable bytes. */
int dt_people_init(dt_hub_t *h, json_t *list, char *err, size_t errlen);
/* The tokens file (CSV seat,role,name,token, mode 0600). Fresh: new tokens
 * for everyone, the file created with O_EXCL|O_NOFOLLOW (a file an earlier
 * session left is replaced; a symbolic link or another kind of file is
 * refused). Else (resume): read back, refused when it is not a regular file
 * of ours that only we can read, or lacks someone; when it is missing,
 * everyone gets new tokens (*renewed set). 0 or -1 with err. */
int dt_people_tokens(dt_hub_t *h, const char *path, int fresh, int *renewed, char *err,
                     size_t errlen);
/* The person a token opens, or -1; every token compared in constant time. */
int dt_people_find(const dt_hub_t *h, const char *token);
/* [{seat, role, name, connected}] for the white cell's view. */
json_t *dt_people_json(const dt_hub_t *h);
/* Someone connected or left: the white cell's pages get `people` again. */
void dt_people_changed(dt_hub_t *h);
void dt_people_free(dt_hub_t *h);

/* The channels a seat (a state index, or DT_PEER_FAC) is in: [{id, name}]. */
json_t *dt_channels_json(const dt_hub_t *h, int seat);
/* Checks a post before it is applied: the channel exists and the sender's
 * seat is in it. 0, or -1 with *code and msg set. */
int dt_channel_check(const dt_hub_t *h, int seat, const char *channel, const char **code,
                     char *msg, size_t msglen);
/* A journaled post (borrowed): kept, and sent to the members connected now
 * (live = 1) or only kept (a resume's replay). */
void dt_channel_posted(dt_hub_t *h, json_t *rec, int live);
/* After welcome: the peer's missed messages, those with input > last_input. */
void dt_channel_catch_up(dt_peer_t *c, int64_t last_input);
/* Sends a catching-up peer more of them, up to `room` bytes waiting. */
void dt_channel_top_up(dt_peer_t *c, size_t room);

#endif
