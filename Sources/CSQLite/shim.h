#include <sqlite3.h>

/* sqlite3_db_config is C-variadic, which Swift cannot call: a fixed-argument wrapper for the
   on/off flags (SQLITE_DBCONFIG_DEFENSIVE, _ENABLE_TRIGGER, _ENABLE_VIEW). */
static inline int modelsh_sqlite3_db_config_flag(sqlite3 *db, int op, int on) {
    return sqlite3_db_config(db, op, on, (int *)0);
}
