// Where a repository lives on the web, for the links in check-run summaries.
// The payload's repository.html_url says it best; a payload without it still
// gets working links, built from the GitHub host the app talks to (GHE_HOST,
// else github.com) and the repository's full name.

const GITHUB_COM_API = "api.github.com";

/** The web root that goes with a REST base URL: https://api.github.com -> https://github.com, https://ghe.example.com/api/v3 -> https://ghe.example.com. */
export function githubWebRoot(apiBaseUrl: string): string {
  const api = new URL(apiBaseUrl);
  if (api.hostname === GITHUB_COM_API) return `${api.protocol}//github.com`;
  return `${api.protocol}//${api.host}`;
}

export interface RepositoryAddress {
  full_name: string;
  html_url?: string | undefined;
}

export function repositoryWebUrl(repository: RepositoryAddress, apiBaseUrl: string): string {
  return repository.html_url ?? `${githubWebRoot(apiBaseUrl)}/${repository.full_name}`;
}
