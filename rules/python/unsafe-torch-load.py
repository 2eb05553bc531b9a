# Fixtures for llmsecops/unsafe-torch-load. Lines after "ruleid" must be
# flagged, lines after "ok" must not.
import io

import torch
from huggingface_hub import hf_hub_download
from safetensors.torch import load_file
from torch import load as torch_load

from .model import RewardModel

CHECKPOINT = "checkpoints/reward_model.pt"


def load_reward_model(device="cuda"):
    model = RewardModel()
    # ruleid: llmsecops/unsafe-torch-load
    state = torch.load(CHECKPOINT, map_location=device)
    model.load_state_dict(state)
    return model


def load_from_hub():
    path = hf_hub_download(repo_id="someone/lora-weights", filename="adapter.bin", revision="5f0e4bc1d2a3b4c5d6e7f8091a2b3c4d5e6f7081")
    # ruleid: llmsecops/unsafe-torch-load
    return torch.load(path, map_location="cpu", weights_only=False)


def load_uploaded(blob: bytes):
    # ruleid: llmsecops/unsafe-torch-load
    return torch_load(io.BytesIO(blob))


class Trainer:
    def resume(self, ckpt_path):
        # ruleid: llmsecops/unsafe-torch-load
        ckpt = torch.load(
            ckpt_path,
            map_location="cpu",
        )
        self.step = ckpt["step"]


LEGACY = False


def legacy(path):
    # ruleid: llmsecops/unsafe-torch-load
    return torch.load(path, weights_only=LEGACY)


def safe_state_dict(path):
    # ok: llmsecops/unsafe-torch-load
    return torch.load(path, map_location="cpu", weights_only=True)


def safe_safetensors(path):
    # ok: llmsecops/unsafe-torch-load
    return load_file(path, device="cpu")


def safe_alias(path):
    # ok: llmsecops/unsafe-torch-load
    return torch_load(path, weights_only=True)


def safe_jit(path):
    # TorchScript archives are not unpickled by torch.load.
    # ok: llmsecops/unsafe-torch-load
    return torch.jit.load(path)


def configurable(path, **load_opts):
    # ok: llmsecops/unsafe-torch-load
    return torch.load(path, **load_opts)
