/* view.c: a seat's view of the world for the browser pages (view.h). Owns
 * nothing: reads the simulation, builds JSON. Does not decide who may see an
 * event (session.c does) nor send anything (serve.c does). */
#include "view.h"
#include <stdio.h>

static int sees_state(int seat, int state) { return seat < 0 || seat == state; }

json_t *dt_view_refs(const dt_sim_t *sim, int seat) {
  json_t *states = json_array(), *treaties = json_array(), *props = json_array(),
         *systems = json_object();
  for (int i = 0; i < sim->nstates; i++) {
    const dt_state_t *s = sim->states[i];
    json_array_append_new(states,
                          json_pack("{s:s,s:s}", "id", s->id, "name", s->name ? s->name : s->id));
    if (!sees_state(seat, i)) continue;
    json_t *names = json_array();
    for (int k = 0; k < s->nsystems; k++)
      json_array_append_new(names, json_string(s->systems[k]->name));
    json_object_set_new(systems, s->id, names);
  }
  for (int i = 0; i < sim->ntreaties; i++) {
    const dt_treaty_t *t = sim->treaties[i];
    json_array_append_new(treaties,
                          json_pack("{s:s,s:s}", "id", t->id, "name", t->name ? t->name : t->id));
  }
  for (int i = 0; i < sim->nproposals; i++) {
    const dt_proposal_t *p = sim->proposals[i];
    if (p->status != DT_PS_PENDING) continue;
    if (seat >= 0 && p->from != seat && p->to != seat) continue;
    char id[24], text[256];
    snprintf(id, sizeof id, "P%d", p->index + 1);
    snprintf(text, sizeof text, "%s from %s to %s", p->kind, sim->states[p->from]->id,
             sim->states[p->to]->id);
    json_array_append_new(props, json_pack("{s:s,s:s}", "id", id, "text", text));
  }
  return json_pack("{s:o,s:o,s:o,s:o}", "states", states, "treaties", treaties, "proposals", props,
                   "systems", systems);
}

json_t *dt_view_metrics(const dt_sim_t *sim) {
  json_t *a = json_array();
  for (int m = 0; m < sim->nmetrics; m++)
    if (!sim->metrics[m].foreign_ref) json_array_append_new(a, json_string(sim->metrics[m].name));
  return a;
}

json_t *dt_view_treaties(const dt_sim_t *sim) {
  json_t *a = json_array();
  for (int i = 0; i < sim->ntreaties; i++) {
    const dt_treaty_t *t = sim->treaties[i];
    json_t *parties = json_array(), *limits = json_array();
    for (int k = 0; k < t->nparties; k++)
      json_array_append_new(parties, json_string(sim->states[t->parties[k]]->id));
    for (int k = 0; k < t->nlimits; k++)
      json_array_append_new(limits,
                            json_pack("{s:s,s:f}", "metric", sim->metrics[t->limits[k].metric].name,
                                      "max", t->limits[k].max));
    json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:o,s:o}", "id", t->id, "name",
                                       t->name ? t->name : t->id, "status",
                                       dt_treaty_status_name(t->status), "parties", parties,
                                       "limits", limits));
  }
  return a;
}

json_t *dt_view_point(dt_sim_t *sim, int seat) {
  char date[32];
  dt_time_format(sim->now, date, sizeof date);
  json_t *states = json_object();
  for (int i = 0; i < sim->nstates; i++) {
    if (!sees_state(seat, i)) continue;
    json_t *vals = json_object();
    for (int m = 0; m < sim->nmetrics; m++) {
      double v;
      if (sim->metrics[m].foreign_ref || dt_metric_eval(sim, m, sim->states[i], &v) != 0) continue;
      json_object_set_new(vals, sim->metrics[m].name, json_real(v));
    }
    json_object_set_new(states, sim->states[i]->id, vals);
  }
  return json_pack("{s:I,s:s,s:o}", "t", (json_int_t)sim->now, "date", date, "states", states);
}

json_t *dt_view_point_for(const json_t *point, const dt_sim_t *sim, int seat) {
  if (seat < 0) return json_incref((json_t *)point);
  json_t *states = json_object();
  if (seat < sim->nstates) {
    json_t *mine = json_object_get(json_object_get(point, "states"), sim->states[seat]->id);
    if (mine) json_object_set(states, sim->states[seat]->id, mine);
  }
  return json_pack("{s:O,s:O,s:o}", "t", json_object_get(point, "t"), "date",
                   json_object_get(point, "date"), "states", states);
}
