import type { ErrorsMessages } from './index.js';

const messages: ErrorsMessages = {
  title_invalid: 'Quelque chose ne va pas',
  title_not_allowed: 'Non autorisé',
  title_not_found: 'Introuvable',
  title_gone: 'N’existe plus',
  title_too_large: 'Trop volumineux',
  title_not_accepted: 'Non accepté',
  title_slow_down: 'Doucement',
  title_service_silent: 'Le service de streaming n’a pas répondu',
  title_unavailable: 'Indisponible',
  title_generic: 'Une erreur s’est produite',
  title_campaign_not_found: 'Campagne introuvable',
  title_campaign_ended: 'Cette campagne est terminée',
  title_presave_not_found: 'Pré-enregistrement introuvable',
  title_start_again: 'Veuillez recommencer',
  title_nothing_saved: 'Rien n’a été enregistré',
  title_try_again: 'Veuillez réessayer',
  invalid: 'Une saisie n’est pas valide.',
  not_found: 'Introuvable.',
  nothing_here: 'Il n’y a rien à cette adresse.',
  campaign_not_found: 'Il n’y a aucune campagne à cette adresse. Vérifiez le lien reçu, ou demandez-le à l’artiste.',
  campaign_archived:
    'Cette campagne est terminée et n’accepte plus de pré-enregistrements. Cherchez la sortie sur votre service de streaming.',
  presave_not_found:
    'Il n’y a aucun pré-enregistrement à cette adresse. Si vous avez effacé vos données, il n’existe plus. Pour que la sortie soit enregistrée, refaites un pré-enregistrement depuis la page de la campagne.',
  no_listen_link: 'Cette sortie n’a pas encore de lien pour ce service.',
  service_unknown: 'Service de streaming inconnu. Revenez à la page de la campagne et choisissez l’un de ses boutons.',
  service_not_offered:
    'Cette campagne n’est pas proposée sur ce service. Revenez à la page de la campagne et choisissez l’un de ses services.',
  service_not_offered_named: '« {title} » n’est pas proposé sur ce service.',
  service_not_configured: 'Ce service de streaming n’est pas configuré sur ce serveur Dropday. Choisissez un autre service.',
  state_missing: 'Il manque le jeton de sécurité dans la réponse de connexion. Veuillez recommencer.',
  state_invalid: 'Ce lien de connexion n’est pas valide, a déjà servi ou a expiré. Veuillez recommencer.',
  state_browser_mismatch: 'Cette connexion a été commencée dans un autre navigateur. Recommencez depuis la page de la campagne.',
  state_service_mismatch: 'Cette réponse de connexion appartient à un autre service de streaming. Veuillez recommencer.',
  access_denied: 'Vous n’avez pas autorisé l’accès, donc rien n’a été enregistré. Vous pouvez réessayer à tout moment.',
  provider_refused: 'Le service de streaming a refusé cette connexion, donc rien n’a été enregistré.',
  provider_error: 'Le service de streaming n’a pas répondu comme prévu. Rien n’a été enregistré ; veuillez réessayer.',
  provider_error_moment: 'Le service de streaming n’a pas répondu comme prévu. Rien n’a été enregistré ; réessayez dans un instant.',
  grant_dead:
    'Le service de streaming a refusé cette connexion. Rien n’a été enregistré ; recommencez depuis la page de la campagne.',
  no_code: 'La réponse de connexion ne contient pas de code d’autorisation. Veuillez recommencer.',
  invalid_timezone:
    'Le fuseau horaire envoyé par votre navigateur n’est pas valide. Revenez à la page de la campagne et réessayez.',
  unknown_timezone: '« {zone} » n’est pas un fuseau horaire que nous connaissons.',
  csrf: 'Le formulaire a expiré ou n’a pas été envoyé depuis ce site. Veuillez recharger la page.',
  too_large: 'La requête est trop volumineuse.',
  not_accepted: 'Cette adresse n’accepte pas ce type de contenu. Envoyez le formulaire depuis sa page.',
  rate_limited: 'Trop de requêtes. Veuillez patienter un instant.',
  rate_connect_ip:
    'Vous avez lancé beaucoup de pré-enregistrements en peu de temps. Patientez {seconds, plural, =1 {une seconde} one {# seconde} many {# de secondes} other {# secondes}} puis réessayez ; rien n’est perdu.',
  rate_connect_campaign:
    'Beaucoup de fans pré-enregistrent cette sortie en ce moment. Patientez {seconds, plural, =1 {une seconde} one {# seconde} many {# de secondes} other {# secondes}} puis réessayez ; rien n’est perdu.',
  busy: 'Ce serveur est occupé pour le moment. Réessayez dans quelques secondes.',
};
export default messages;
