/*
 * fingerprint -> incident issue number, per repository id, for this process
 * only. It saves listing every incident issue on each sighting; it is never
 * trusted blindly: a hit is confirmed by reading the issue's marker, and a
 * miss always falls back to listing (the source of truth is GitHub).
 */

const MAX_REPOS = 1000;

export class IncidentCache {
  private readonly repos = new Map<number, Map<string, number>>();

  get(repoId: number, fingerprint: string): number | undefined {
    return this.repos.get(repoId)?.get(fingerprint);
  }

  set(repoId: number, fingerprint: string, issueNumber: number): void {
    let entries = this.repos.get(repoId);
    if (!entries) {
      // Crude bound: an App on a huge organisation must not grow without limit.
      if (this.repos.size >= MAX_REPOS) this.repos.clear();
      entries = new Map();
      this.repos.set(repoId, entries);
    }
    entries.set(fingerprint, issueNumber);
  }

  forget(repoId: number, fingerprint: string): void {
    this.repos.get(repoId)?.delete(fingerprint);
  }

  clear(): void {
    this.repos.clear();
  }
}

export const defaultIncidentCache = new IncidentCache();
