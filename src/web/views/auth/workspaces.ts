import type { FastifyRequest } from 'fastify';
import type { Invitation, PendingInvitation } from '../../../accounts/invitations.js';
import {
  assignableRoles,
  canDeleteWorkspace,
  canManageMember,
  canManageMembers,
  canTransferOwnership,
  ROLE_LABELS,
  type Role,
} from '../../../accounts/roles.js';
import type { Member, Workspace } from '../../../accounts/workspaces.js';
import { csrfField } from '../../csrf.js';
import { html, type SafeHtml } from '../../html.js';
import { confirmFirst } from './forms.js';
import { alertBox, fieldError, noticeBox } from './shell.js';

/** Where a workspace's pages start: its campaign overview. */
export function workspaceHome(slug: string): string {
  return `/w/${slug}`;
}

function roleOptions(roles: Role[], selected: Role): SafeHtml[] {
  return roles.map((r) => html`<option value="${r}" ${r === selected ? 'selected' : ''}>${ROLE_LABELS[r]}</option>`);
}

export function workspacesPage(
  req: FastifyRequest,
  o: {
    list: { workspace: Workspace; role: Role | null }[];
    values?: Record<string, string>;
    errors?: Record<string, string>;
    message?: string;
  },
): SafeHtml {
  const v = o.values ?? {};
  return html`<section class="panel">
      <h1>Your workspaces</h1>
      ${
        o.list.length
          ? html`<table>
            <thead>
              <tr>
                <th>Workspace</th>
                <th>Type</th>
                <th>Your role</th>
              </tr>
            </thead>
            <tbody>
              ${o.list.map(
                ({ workspace: w, role }) =>
                  html`<tr>
                    <td><a href="${workspaceHome(w.slug)}">${w.name}</a> <span class="muted">/${w.slug}</span></td>
                    <td>${w.kind === 'label' ? 'Label' : 'Artist'}</td>
                    <td>${role ? ROLE_LABELS[role] : 'Operator (read-only)'}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
          : html`<p class="muted">You are not in a workspace yet. Create one for yourself as an artist or for your label, or ask to be invited.</p>`
      }
    </section>
    <section class="panel">
      <h2>Create a workspace</h2>
      ${alertBox(o.message)}
      <form method="post" action="/workspaces" novalidate>
        ${csrfField(req)}
        <div class="row">
          <div>
            <label for="name">Name</label>
            <input id="name" name="name" type="text" required maxlength="100" value="${v.name ?? ''}" />
            ${fieldError(o.errors, 'name')}
          </div>
          <div>
            <label for="slug">Address</label>
            <input id="slug" name="slug" type="text" required maxlength="40" pattern="[a-z0-9-]+" value="${v.slug ?? ''}" />
            <p class="hint">Lower-case letters, digits and hyphens.</p>
            ${fieldError(o.errors, 'slug')}
          </div>
        </div>
        <label for="kind">This workspace is for</label>
        <select id="kind" name="kind">
          <option value="artist" ${v.kind !== 'label' ? 'selected' : ''}>An artist</option>
          <option value="label" ${v.kind === 'label' ? 'selected' : ''}>A label with many artists</option>
        </select>
        ${fieldError(o.errors, 'kind')}
        <button class="btn" type="submit">Create workspace</button>
      </form>
    </section>`;
}

export interface MembersPageData {
  workspace: Workspace;
  role: Role;
  operator: boolean;
  userId: number;
  members: Member[];
  invitations: PendingInvitation[];
  errors?: Record<string, string>;
  message?: string | null;
  notice?: string | null;
  inviteValues?: { email?: string; role?: string };
  /** An invitation that was not mailed: its link, to pass on by hand. */
  inviteLink?: InviteLink;
}

export interface InviteLink {
  email: string;
  link: string;
  expiresAt: number;
  /** no-smtp: this server has no mail configured; failed: the mail server did not take it. */
  reason: 'no-smtp' | 'failed';
}

function inviteLinkBox(i: InviteLink): SafeHtml {
  const why =
    i.reason === 'no-smtp'
      ? 'No invitation mail was sent: this server has no mail configured (SMTP_URL is not set).'
      : 'The invitation mail could not be sent: the mail server did not take it (the server log says why).';
  return html`<div class="notice" role="status" id="invite-link">
    <p>Invitation created for ${i.email}. ${why}</p>
    <p>Send them this link yourself; it works once, until ${new Date(i.expiresAt).toISOString().slice(0, 10)}:</p>
    <input id="invite-link-url" type="text" readonly value="${i.link}" aria-label="Invitation link for ${i.email}" />
  </div>`;
}

export function membersPage(req: FastifyRequest, d: MembersPageData): SafeHtml {
  const ws = d.workspace;
  const base = `/w/${ws.slug}`;
  const manage = canManageMembers(d.role) && !d.operator;
  const assignable = assignableRoles(d.role);
  const lastOwner = d.role === 'owner' && d.members.filter((m) => m.role === 'owner').length <= 1;
  const memberRows = d.members.map((m) => {
    const self = m.userId === d.userId;
    const editable = manage && !self && canManageMember(d.role, m.role);
    return html`<tr data-member="${m.email}">
      <td>${m.email}${self ? html` <span class="muted">(you)</span>` : ''}</td>
      <td>
        ${
          editable
            ? html`<form class="inline" method="post" action="${base}/members/${m.userId}/role">
              ${csrfField(req)}
              <select id="role-${m.userId}" name="role" aria-label="Role of ${m.email}">
                ${roleOptions(assignable.includes(m.role) ? assignable : [m.role, ...assignable], m.role)}
              </select>
              <button class="btn small" type="submit">Change</button>
            </form>`
            : html`<span data-role>${ROLE_LABELS[m.role]}</span>`
        }
      </td>
      <td>
        ${
          editable
            ? html`<form class="inline" method="post" action="${base}/members/${m.userId}/remove">
              ${csrfField(req)}<button class="btn small danger" type="submit">Remove</button>
            </form>`
            : self && !d.operator && !lastOwner
              ? html`<form class="inline" method="post" action="${base}/leave">
                ${csrfField(req)}<button class="btn small danger" type="submit">Leave</button>
              </form>`
              : ''
        }
      </td>
    </tr>`;
  });
  const others = d.members.filter((m) => m.userId !== d.userId);
  return html`<section class="panel">
      <h1>${ws.name}</h1>
      <p class="muted">${ws.kind === 'label' ? 'Label' : 'Artist'} workspace · you are ${d.operator ? 'an operator (read-only)' : ROLE_LABELS[d.role]}</p>
      ${noticeBox(d.notice)}${alertBox(d.message)}
      ${manage ? html`<p><a href="#integrations">API keys and webhooks</a>: connect other programs to this workspace.</p>` : ''}
      <h2>Members</h2>
      <table>
        <thead>
          <tr>
            <th>Email</th>
            <th>Role</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${memberRows}
        </tbody>
      </table>
    </section>
    ${
      manage
        ? html`<section class="panel" id="invite">
          <h2>Invite someone</h2>
          ${d.inviteLink ? inviteLinkBox(d.inviteLink) : ''}
          <form method="post" action="${base}/invitations" novalidate>
            ${csrfField(req)}
            <div class="row">
              <div>
                <label for="invite-email">Email</label>
                <input id="invite-email" name="email" type="email" required value="${d.inviteValues?.email ?? ''}" />
                ${fieldError(d.errors, 'email')}
              </div>
              <div>
                <label for="invite-role">Role</label>
                <select id="invite-role" name="role">
                  ${roleOptions(assignable, (d.inviteValues?.role as Role | undefined) ?? 'viewer')}
                </select>
                ${fieldError(d.errors, 'role')}
              </div>
            </div>
            <p class="hint">Viewers see campaigns and numbers; editors also edit campaigns; admins also manage members; owners can do everything.</p>
            <button class="btn" type="submit">Send invitation</button>
          </form>
          ${
            d.invitations.length
              ? html`<h3>Waiting for an answer</h3>
                <table>
                  <tbody>
                    ${d.invitations.map(
                      (i) => html`<tr>
                        <td>${i.email}</td>
                        <td>${ROLE_LABELS[i.role]}</td>
                        <td>until ${new Date(i.expiresAt).toISOString().slice(0, 10)}</td>
                        <td>
                          <form class="inline" method="post" action="${base}/invitations/${i.id}/revoke">
                            ${csrfField(req)}<button class="btn small danger" type="submit">Withdraw</button>
                          </form>
                        </td>
                      </tr>`,
                    )}
                  </tbody>
                </table>`
              : ''
          }
        </section>`
        : ''
    }
    ${
      manage
        ? html`<section class="panel" id="integrations">
          <h2>Connect other programs</h2>
          <h3 id="api-keys">API keys</h3>
          <p class="hint">
            A key lets a program (your website, a spreadsheet script, a developer's tool) read or change this workspace's campaigns
            and numbers through the Dropday API, with only the permissions you tick.
          </p>
          <p><a class="btn small" href="${base}/api-keys">Manage API keys</a></p>
          <h3 id="webhooks">Webhooks</h3>
          <p class="hint">
            A webhook tells another program or a Discord or Slack channel the moment something happens — a fan pre-saves, a campaign
            is released.
          </p>
          <p><a class="btn small" href="${base}/webhooks">Manage webhooks</a></p>
        </section>`
        : ''
    }
    ${
      !d.operator && canTransferOwnership(d.role) && others.length
        ? html`<section class="panel">
          <h2>Transfer ownership</h2>
          <form method="post" action="${base}/transfer">
            ${csrfField(req)}
            <label for="transfer-to">New owner</label>
            <select id="transfer-to" name="userId">
              ${others.map((m) => html`<option value="${m.userId}">${m.email}</option>`)}
            </select>
            <p class="hint">They become an owner and you become an admin.</p>
            <button class="btn" type="submit">Transfer</button>
          </form>
        </section>`
        : ''
    }
    ${
      !d.operator && canDeleteWorkspace(d.role)
        ? html`<section class="panel">
          <h2>Delete this workspace</h2>
          <form method="post" action="${base}/delete">
            ${csrfField(req)}
            <label for="confirm">Type <code>${ws.slug}</code> to confirm</label>
            <input id="confirm" name="confirm" type="text" autocomplete="off" />
            ${fieldError(d.errors, 'confirm')}
            <p class="hint">Members and invitations are removed. Campaigns keep running for fans and pass to the server's operators.</p>
            <button class="btn danger" type="submit">Delete workspace</button>
          </form>
        </section>`
        : ''
    }`;
}

export function invitePage(
  req: FastifyRequest,
  token: string,
  o: { invitation: Invitation | null; message?: string | null; sent?: boolean },
): SafeHtml {
  const inv = o.invitation;
  if (!inv) {
    return html`<section class="panel" role="alert">
      <h1>This invitation does not work</h1>
      <p>It is not valid, was already used, or has expired. Ask the person who invited you for a new one.</p>
    </section>`;
  }
  const next = `/invite/${token}`;
  const user = req.user;
  let action: SafeHtml;
  if (!user) {
    action = html`<p>Sign in or create an account with <strong>${inv.email}</strong> to join.</p>
      <p><a class="btn" href="/signup?email=${encodeURIComponent(inv.email)}&amp;next=${encodeURIComponent(next)}">Create an account</a></p>
      <p><a class="btn" href="/login?next=${encodeURIComponent(next)}">Sign in</a></p>`;
  } else if (user.email !== inv.email) {
    action = html`<p class="alert" role="alert">
      This invitation is for ${inv.email}, but you are signed in as ${user.email}. Sign out, then sign in or sign up with ${inv.email}.
    </p>`;
  } else if (!user.emailVerified) {
    action = confirmFirst(req, user.email, next, o.sent);
  } else {
    action = html`<form method="post" action="${next}">
      ${csrfField(req)}<button class="btn" type="submit">Join ${inv.workspace.name}</button>
    </form>`;
  }
  return html`<section class="panel">
    <h1>Join ${inv.workspace.name}</h1>
    <p>You are invited as <strong>${ROLE_LABELS[inv.role]}</strong> of the ${inv.workspace.kind === 'label' ? 'label' : 'artist'} workspace “${inv.workspace.name}”.</p>
    ${alertBox(o.message)} ${action}
  </section>`;
}
