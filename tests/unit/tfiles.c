/* SPDX-License-Identifier: MIT */
/* Files the unit tests make and read; see tfiles.h. */
#include "tfiles.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

void ut_tmpdir(char *dir, size_t n, const char *what)
{
	snprintf(dir, n, "/tmp/vbench-%s-ut-XXXXXX", what);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

void ut_rmtree(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

char *ut_slurp(const char *dir, const char *name)
{
	char path[256], *buf;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s missing", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

json_t *ut_load_json(const char *path)
{
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);

	ck_assert_msg(doc != NULL, "%s: %s", path, je.text);
	return doc;
}

int ut_have_gnuplot(const char *test)
{
	if (!system("command -v gnuplot >/dev/null 2>&1"))
		return 1;
	fprintf(stderr, "SKIP %s: gnuplot is not installed\n", test);
	return 0;
}
