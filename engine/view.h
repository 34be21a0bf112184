/* view.h: what one seat may see of a live session's world, as JSON for the
 * browser pages (not part of the public API). It reads the simulation and
 * never runs scenario code: metrics a script computes are left out, so a view
 * can be taken at any moment without changing the run.
 *
 * `seat` is a state's index, or -1 for the white cell, which sees everything.
 * Every function returns a new reference, or NULL when out of memory. */
#ifndef DT_VIEW_H
#define DT_VIEW_H
#include <jansson.h>
#include "world.h"

/* What the seat's forms can pick: {states:[{id,name}], treaties:[{id,name}],
 * proposals:[{id,text}] (pending ones it is party to), systems:{ID:[name]}
 * (its own; the white cell's: everyone's)}. */
json_t *dt_view_refs(const dt_sim_t *sim, int seat);
/* The metrics a view can show (those computed by counting rules), in order. */
json_t *dt_view_metrics(const dt_sim_t *sim);
/* Every treaty: {id, name, status, parties, limits:[{metric, max}]}. */
json_t *dt_view_treaties(const dt_sim_t *sim);
/* One point in time: {t, date, states:{ID:{metric: value}}}: the seat's own
 * state, or every state for the white cell. */
json_t *dt_view_point(dt_sim_t *sim, int seat);
/* The part of a white-cell point a seat may see (its own state). */
json_t *dt_view_point_for(const json_t *point, const dt_sim_t *sim, int seat);

#endif
