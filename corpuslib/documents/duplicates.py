"""Near-duplicate documents: reposts and updated versions of one story, flagged, not counted twice.

Exact duplicates (same ``content_hash``) are rejected by :func:`corpuslib.documents.table.ingest`.
A story that was reposted by another outlet, or updated with a sentence added, has a different
hash but nearly the same words; counting it twice inflates every share it falls in. This module
finds them with MinHash signatures and locality-sensitive hashing (``datasketch``): each body
becomes its set of word 4-grams (casefolded), and two bodies whose estimated Jaccard similarity
of those sets reaches :data:`THRESHOLD` are the same story. Pairs join into groups (a chain of
updates is one story); each group's first document (earliest ``published``, then ``doc_id``) is
the original, and every other member gets ``near_duplicate_of`` = the original's ``doc_id``.

Deterministic: the hash permutations are seeded (``random_state``) and every group is resolved
on sorted keys, so the same documents give the same column whatever their order.
"""
from __future__ import annotations

import re
from typing import Iterable

import numpy as np
import pandas as pd

#: Estimated Jaccard similarity of word 4-gram sets from which two bodies are one story.
THRESHOLD = 0.8
#: Hash permutations per signature (the estimate's standard error is about 0.035 at 0.8).
NUM_PERM = 128
#: Words per shingle.
SHINGLE = 4
#: Seed of the hash permutations.
RANDOM_STATE = 1

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Return the set of casefolded word ``size``-grams of a body (the whole text when shorter).

    Parameters
    ----------
    text : str
        A document body.
    size : int
        Words per shingle.
    """
    words = _WORD.findall(str(text or "").casefold())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8", "surrogatepass")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8", "surrogatepass") for i in range(len(words) - size + 1)}


class NearDuplicates:
    """Find near-duplicate bodies with MinHash LSH (scikit-learn style: parameters, then ``fit``).

    Parameters
    ----------
    threshold : float
        Estimated Jaccard similarity of shingle sets from which two bodies are one story.
    num_perm : int
        Hash permutations per MinHash signature.
    shingle : int
        Words per shingle.
    random_state : int
        Seed of the permutations.

    Attributes
    ----------
    original_ : dict
        ``doc_id -> doc_id`` of its group's original, for every document in a group but the original.
    similarity_ : dict
        ``doc_id -> estimated Jaccard similarity`` with its original (same keys as ``original_``).
    n_groups_ : int
        Groups of two or more documents.
    """

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM, shingle: int = SHINGLE,
                 random_state: int = RANDOM_STATE):
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.random_state = random_state

    def _check(self):
        if not 0 < float(self.threshold) <= 1:
            raise ValueError(f"threshold must be in (0, 1], not {self.threshold!r}")
        if isinstance(self.num_perm, bool) or not isinstance(self.num_perm, int) or self.num_perm < 16:
            raise ValueError(f"num_perm must be an int >= 16, not {self.num_perm!r}")
        if isinstance(self.shingle, bool) or not isinstance(self.shingle, int) or self.shingle < 1:
            raise ValueError(f"shingle must be an int >= 1, not {self.shingle!r}")

    def fit(self, items: Iterable[tuple[str, str, object]]) -> "NearDuplicates":
        """Find the groups among ``(doc_id, text, published)`` items (any order; ids unique).

        Parameters
        ----------
        items : iterable of (str, str, datetime-like or None)
            One per document; ``published`` decides which member of a group is the original.

        Returns
        -------
        self
        """
        from datasketch import MinHash, MinHashLSH

        self._check()
        template = MinHash(num_perm=self.num_perm, seed=self.random_state)
        lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        ids: list[str] = []
        keys: list[tuple] = []
        sigs: list[np.ndarray] = []
        for doc_id, text, published in items:
            grams = shingles(text, self.shingle)
            if not grams:
                continue
            m = MinHash(num_perm=self.num_perm, seed=self.random_state, permutations=template.permutations,
                        scheme=template.scheme)
            m.update_batch(list(grams))
            n = len(ids)
            ids.append(str(doc_id))
            ts = pd.Timestamp(published) if published is not None and not pd.isna(published) else None
            keys.append((ts is None, ts.value if ts is not None else 0, str(doc_id)))
            sigs.append(m.hashvalues)
            lsh.insert(n, m, check_duplication=False)
        parent = list(range(len(ids)))

        def find(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i, sig in enumerate(sigs):
            m = MinHash(num_perm=self.num_perm, seed=self.random_state, hashvalues=sig, scheme=template.scheme)
            for j in sorted(lsh.query(m)):
                # LSH finds candidates; the signatures' agreement confirms them
                if j > i and float(np.mean(sigs[i] == sigs[j])) >= self.threshold:
                    a, b = find(i), find(j)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
        groups: dict[int, list[int]] = {}
        for i in range(len(ids)):
            groups.setdefault(find(i), []).append(i)
        self.original_, self.similarity_ = {}, {}
        self.n_groups_ = 0
        for members in groups.values():
            if len(members) < 2:
                continue
            self.n_groups_ += 1
            first = min(members, key=keys.__getitem__)
            for i in members:
                if i != first:
                    self.original_[ids[i]] = ids[first]
                    self.similarity_[ids[i]] = round(float(np.mean(sigs[i] == sigs[first])), 3)
        return self


def flag_near_duplicates(documents: pd.DataFrame, *, threshold: float = THRESHOLD, num_perm: int = NUM_PERM,
                         shingle: int = SHINGLE, random_state: int = RANDOM_STATE) -> pd.DataFrame:
    """Return a copy of the documents table with ``near_duplicate_of`` filled in.

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents table (``doc_id``, ``text``; ``published`` when present). Not modified.
    threshold, num_perm, shingle, random_state
        As for :class:`NearDuplicates`.

    Returns
    -------
    pandas.DataFrame
        The table with ``near_duplicate_of``: the ``doc_id`` of the group's original for a
        near-duplicate, null for an original or a document with no near-duplicate.
    """
    for col in ("doc_id", "text"):
        if col not in documents:
            raise KeyError(f"the documents table has no {col!r} column")
    published = documents["published"] if "published" in documents else pd.Series(None, index=documents.index)
    found = NearDuplicates(threshold, num_perm, shingle, random_state).fit(
        zip(documents["doc_id"], documents["text"], published))
    out = documents.copy()
    col = documents["doc_id"].astype(str).map(found.original_)
    out["near_duplicate_of"] = pd.Series([v if isinstance(v, str) else None for v in col], index=documents.index,
                                         dtype=object)
    return out


def near_duplicate_pairs(documents: pd.DataFrame) -> pd.DataFrame:
    """Return the flagged pairs to read side by side: doc_id, near_duplicate_of, both outlets, titles and texts.

    Parameters
    ----------
    documents : pandas.DataFrame
        A documents table with ``near_duplicate_of`` (see :func:`flag_near_duplicates`).
    """
    if "near_duplicate_of" not in documents:
        raise KeyError("the documents table has no 'near_duplicate_of' column; run flag_near_duplicates first")
    cols = [c for c in ("doc_id", "outlet", "published", "title", "text") if c in documents]
    dup = documents.loc[documents["near_duplicate_of"].notna(), cols + ["near_duplicate_of"]]
    orig = documents[cols].rename(columns={c: f"original_{c}" for c in cols})
    pairs = dup.merge(orig, left_on="near_duplicate_of", right_on="original_doc_id", how="left")
    return pairs.drop(columns=["original_doc_id"]).sort_values("doc_id", kind="stable").reset_index(drop=True)
