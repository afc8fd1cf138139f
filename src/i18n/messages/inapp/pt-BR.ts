import type { InAppMessages } from './index.js';

const messages: InAppMessages = {
  notice:
    'O navegador interno do {app} costuma travar o login dos serviços de streaming. Se isso acontecer, a gente ajuda você a abrir esta página no seu próprio navegador.',
  title: 'Abra no seu navegador',
  why: 'O navegador interno do {app} costuma interromper o login do {service} no meio do caminho. Abra esta página no seu próprio navegador para fazer o pré-save lá: o {service} já vai estar escolhido.',
  open_browser: 'Abrir no meu navegador',
  ios_dots_external: 'Toque em ··· no canto superior direito e depois em “Abrir no navegador externo”.',
  ios_dots_browser: 'Toque em ··· no canto superior direito e depois em “Abrir no navegador”.',
  ios_share_safari: 'Toque no botão de compartilhar e depois em “Abrir no Safari”.',
  ios_generic: 'Abra o menu do app (geralmente ··· ou o botão de compartilhar) e escolha abrir a página no seu navegador.',
  copy_intro: 'Ou copie o link e cole na barra de endereços do seu navegador:',
  link_label: 'Link desta página',
  copy: 'Copiar link',
  copied: 'Link copiado. Abra seu navegador e cole na barra de endereços.',
  copy_failed: 'Não deu para copiar aqui. Toque e segure o link acima e escolha Copiar.',
  continue_here: 'Continuar aqui mesmo assim',
  continue_note: 'Se o login travar, volte para esta página e abra no seu navegador.',
  chosen: 'Você escolheu {service}. Toque no botão dele para continuar seu pré-save.',
  musickit_stuck:
    'O Apple Music ainda não respondeu. O login dele costuma travar nos navegadores internos dos apps: abra esta página no seu navegador e tente de novo lá. Se o Apple Music responder enquanto isso, seu pré-save continua sozinho.',
};
export default messages;
