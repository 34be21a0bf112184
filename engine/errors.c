/* errors.c: the English phrase for each DT_E* code of errors.h.
 * It owns only this table; it does not print, log or decide which code a
 * module returns. */
#include "errors.h"

const char *dt_strerror(int err)
{
  switch (err) {
  case DT_OK:      return "success";
  case DT_EINVAL:  return "invalid argument";
  case DT_ENOMEM:  return "out of memory";
  case DT_ENOENT:  return "no such entry";
  case DT_ESTATE:  return "operation not allowed in this state";
  case DT_ERANGE:  return "value out of range";
  case DT_EEXIST:  return "name already taken";
  case DT_ESCRIPT: return "script error";
  case DT_ELIMIT:  return "sandbox limit reached";
  case DT_EIO:     return "input/output error";
  case DT_EPARSE:  return "parse error";
  default:         return "unknown error";
  }
}
