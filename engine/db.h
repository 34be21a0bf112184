/* db.h: a batch in SQLite (`mc --db`, `merge --db`): tables for runs, params
 * and outcomes in long format, and series, written in transactions from the
 * rows of the runs file; the batch's sidecar JSON goes in when it finishes.
 * The schema is in docs/formats.md. */
#ifndef DT_DB_H
#define DT_DB_H

#include <stddef.h>
#include "batch.h"

#define DT_DB_FORMAT "detente-runs-db"
#define DT_DB_SCHEMA 1

typedef struct dt_db dt_db_t;

/* Creates path anew (an old file there is removed) with the tables of batch
 * s, and opens the first transaction. Returns 0 or DT_EIO / DT_ENOMEM with a
 * message in err. */
int dt_db_create(dt_db_t **db, const char *path, const dt_batch_spec_t *s, char *err,
                 size_t errlen);
/* Adds one row of the runs file (its CSV text, as the runs file has it). */
int dt_db_row(dt_db_t *db, const char *row, size_t len);
/* Adds a run's series rows (the series file's lines: run,date,name,value). */
int dt_db_series(dt_db_t *db, const char *rows, size_t len);
/* Stores s's sidecar JSON, builds the indexes, commits and closes: 0 or
 * DT_EIO with a message in err. dt_db_close alone leaves no sidecar record:
 * the file then describes no finished batch and merge refuses it. */
int dt_db_finish(dt_db_t *db, const dt_batch_spec_t *s, char *err, size_t errlen);
void dt_db_close(dt_db_t *db);
/* Whether path is an SQLite file (by its first 16 bytes). */
int dt_db_is_db(const char *path);
/* Merges the databases of the shards of one batch into out: checks they are
 * finished shards of one batch holding every run once. 0, or DT_EIO /
 * DT_EPARSE (they do not fit together) / DT_ENOMEM with a message in err. */
int dt_db_merge(const char *const *paths, int n, const char *out, char *err, size_t errlen);

#endif
