#!/usr/bin/env python3
"""check_modules.py finds each kind of break in a small made-up tree, and passes it whole."""
import json
import pathlib
import subprocess
import sys
import tempfile
import unittest

SCRIPT = pathlib.Path(__file__).with_name("check_modules.py")


class CheckModules(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self.tmp.name)
        self.files = {
            "engine/core/log.h": "#pragma once\n#include <string>\n",
            "engine/core/log.cpp": '#include "engine/core/log.h"\n',
            "engine/tiles/tile.h": '#pragma once\n#include "engine/core/log.h"\n',
            "engine/tiles/tile.cpp": '#include "engine/tiles/tile.h"\n#include "tile.h"\n',
            "engine/gpu/device.h": "#pragma once\n#include <vulkan/vulkan.h>\n",
            "engine/gpu/device.cpp": '#include "engine/gpu/device.h"\n',
            "app/viewer/main.cpp": '#include "engine/tiles/tile.h"\n#include "engine/core/log.h"\n',
        }
        self.modules = {
            "zw_core": self.module("engine/core", ["engine/core/log.cpp"]),
            "zw_tiles": self.module("engine/tiles", ["engine/tiles/tile.cpp"], public=["zw_core"]),
            "zw_gpu": self.module("engine/gpu", ["engine/gpu/device.cpp"], public=["zw_core", "Vulkan::Vulkan"]),
            "viewer": self.module("app/viewer", ["app/viewer/main.cpp"], private=["zw_tiles"], exe=True),
        }

    def tearDown(self):
        self.tmp.cleanup()

    @staticmethod
    def module(folder, sources, public=(), private=(), exe=False):
        return {"folder": folder, "executable": exe, "sources": sources, "public": list(public) or [""],
                "private": list(private) or [""]}

    def run_check(self):
        for rel, text in self.files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        (self.root / "modules.json").write_text(json.dumps(self.modules))
        r = subprocess.run([sys.executable, str(SCRIPT), str(self.root / "modules.json"), str(self.root)],
                           capture_output=True, text=True)
        return r.returncode, r.stderr

    def assert_fails_with(self, text):
        rc, err = self.run_check()
        self.assertEqual(rc, 1, err)
        self.assertIn(text, err)

    def test_a_sound_tree_passes(self):
        rc, err = self.run_check()
        self.assertEqual(rc, 0, err)

    def test_including_a_module_not_linked_fails(self):
        self.files["engine/core/log.cpp"] += '#include "engine/tiles/tile.h"\n'
        self.assert_fails_with("engine/core/log.cpp:2: includes engine/tiles/tile.h of zw_tiles, which zw_core does not link")

    def test_a_private_link_is_not_exported(self):
        self.modules["zw_tiles"] = self.module("engine/tiles", ["engine/tiles/tile.cpp"], private=["zw_core"])
        self.assert_fails_with("app/viewer/main.cpp:2: includes engine/core/log.h of zw_core, which viewer does not link")

    def test_the_engine_including_app_fails(self):
        self.files["engine/tiles/tile.cpp"] += '#include "app/viewer/panel.h"\n'
        self.assert_fails_with("engine/tiles/tile.cpp:3: the engine includes app/viewer/panel.h")

    def test_vulkan_outside_the_gpu_modules_fails(self):
        self.files["engine/tiles/tile.h"] += "#include <vulkan/vulkan.h>\n"
        self.assert_fails_with("engine/tiles/tile.h:3: includes <vulkan/vulkan.h> but zw_tiles links no Vulkan")

    def test_a_source_in_no_target_fails(self):
        self.files["engine/core/orphan.cpp"] = "\n"
        self.assert_fails_with("engine/core/orphan.cpp: belongs to no target")

    def test_a_declared_cycle_fails(self):
        self.modules["zw_core"]["private"] = ["zw_tiles"]
        self.assert_fails_with("the declared module graph has a cycle")

    def test_a_folder_cycle_inside_a_module_fails(self):
        self.files["engine/tiles/sub/inner.h"] = '#pragma once\n#include "engine/tiles/tile.h"\n'
        self.files["engine/tiles/tile.h"] += '#include "engine/tiles/sub/inner.h"\n'
        self.assert_fails_with("engine folders include each other in a cycle")


if __name__ == "__main__":
    unittest.main()
