/* SPDX-License-Identifier: MIT */
/* The guest kernel a previous run left in this host's image cache. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../harness/image/bzimage.h"
#include "../../harness/paths.h"

/* The real kernel, when a previous run cached it: it must carry the PVH note. */
START_TEST(cached_debian_vmlinux)
{
	char cache[4096], err[256], path[8192], cmd[8300], line[8192] = "";
	unsigned char *buf;
	size_t len;
	FILE *p;

	if (vb_cache_dir(NULL, cache, sizeof(cache), err, sizeof(err))) {
		printf("skip: no image cache here: %s\n", err);
		return;
	}
	snprintf(cmd, sizeof(cmd), "ls %s/kernels/*/vmlinux 2>/dev/null | head -1", cache);
	p = popen(cmd, "r");
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	pclose(p);
	line[strcspn(line, "\n")] = '\0';
	if (!line[0]) {
		printf("skip: no cached guest kernel in %s (run `vbench image`)\n", cache);
		return;
	}
	snprintf(path, sizeof(path), "%s", line);
	p = fopen(path, "r");
	fseek(p, 0, SEEK_END);
	len = (size_t)ftell(p);
	rewind(p);
	buf = malloc(len);
	ck_assert_uint_eq(fread(buf, 1, len, p), len);
	fclose(p);
	ck_assert(vb_elf_has_pvh_note(buf, len));
	free(buf);
}
END_TEST

Suite *suite_host_image(void)
{
	Suite *s = suite_create("host_image");
	TCase *tc = tcase_create("image");

	tcase_add_test(tc, cached_debian_vmlinux);
	suite_add_tcase(s, tc);
	return s;
}
