// readTarGz on archives made by the real tar in the formats GitHub's tarball
// endpoint uses: the top folder stripped, long paths (pax and GNU records),
// folders and links skipped, bytes kept as they are.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTarGz } from "../../src/github/tar-archive.js";

const TOP = "acme-shop-c0ffee1";
const LONG_PATH = `docs/${"deep/".repeat(30)}page.md`; // over the 100 bytes of a plain tar name

describe("readTarGz", () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "iact-tar-"));
    const root = path.join(directory, TOP);
    await mkdir(path.join(root, path.dirname(LONG_PATH)), { recursive: true });
    await writeFile(path.join(root, "README.md"), "# Shop\n");
    await writeFile(path.join(root, LONG_PATH), "deep\n");
    await writeFile(path.join(root, "logo.bin"), Buffer.from([0, 1, 2, 255]));
    await writeFile(path.join(root, "empty.txt"), "");
    await symlink("README.md", path.join(root, "link.md"));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it.each(["pax", "gnu"])("reads the regular files of a %s archive, without the top folder", (format) => {
    const archive = execFileSync("tar", [`--format=${format}`, "-czf", "-", "-C", directory, TOP]);
    const files = readTarGz(archive);
    expect([...files.keys()].sort()).toEqual(["README.md", LONG_PATH, "empty.txt", "logo.bin"].sort());
    expect(files.get("README.md")?.toString()).toBe("# Shop\n");
    expect(files.get(LONG_PATH)?.toString()).toBe("deep\n");
    expect([...(files.get("logo.bin") ?? [])]).toEqual([0, 1, 2, 255]);
    expect(files.get("empty.txt")?.length).toBe(0);
  });
});
