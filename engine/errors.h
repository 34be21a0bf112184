/* errors.h: the engine's error codes. Core functions return 0 on success or one
 * of these negative codes; they never raise, print or exit. dt_strerror() gives a
 * short English phrase for each. */
#ifndef DT_ERRORS_H
#define DT_ERRORS_H

enum {
  DT_OK = 0,
  DT_EINVAL = -1,    /* an argument is malformed or out of range */
  DT_ENOMEM = -2,    /* an allocation failed or a memory limit was reached */
  DT_ENOENT = -3,    /* no such state, system, treaty, proposal, event ... */
  DT_ESTATE = -4,    /* the object is in a state that forbids the operation */
  DT_ERANGE = -5,    /* a count would become negative or overflow */
  DT_EEXIST = -6,    /* the name is already taken */
  DT_ESCRIPT = -7,   /* a scenario script raised an error */
  DT_ELIMIT = -8,    /* a sandbox limit (instructions, memory) was reached */
  DT_EIO = -9,       /* reading or writing a file failed */
  DT_EPARSE = -10    /* a date, number or file could not be parsed */
};

const char *dt_strerror(int err);

#endif
