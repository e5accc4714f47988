/* sha256ext.c - SQLite loadable extension for the SQL baseline:
 *   sha256hex(X)  lowercase hex SHA-256 of X's bytes (text as UTF-8), NULL for NULL.
 * Load in the sqlite3 shell with `.load bench/build/sha256ext`. */
#include <openssl/evp.h>
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

static void sha256hex(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const unsigned char *p = sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    unsigned char md[32];
    unsigned int len = 0;
    EVP_Digest(p, (size_t)n, md, &len, EVP_sha256(), NULL);
    static const char hx[] = "0123456789abcdef";
    char out[64];
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hx[md[i] >> 4];
        out[2 * i + 1] = hx[md[i] & 15];
    }
    sqlite3_result_text(ctx, out, 64, SQLITE_TRANSIENT);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_sha256ext_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
    (void)err;
    SQLITE_EXTENSION_INIT2(api);
    return sqlite3_create_function(db, "sha256hex", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                   sha256hex, NULL, NULL);
}

/* the shell derives the entry point from the file name, letters only */
#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_shaext_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
    return sqlite3_sha256ext_init(db, err, api);
}
