/** The Mermaid flowchart of a model. */
import type { ArchitectureModel, DiagramNode } from './types';

/** Text safe inside a double-quoted Mermaid label. */
function escapeLabel(value: string): string {
  return value.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function renderNode(node: DiagramNode): string {
  const label = `"${node.label.map(escapeLabel).join('<br/>')}"`;
  if (node.shape === 'store') return `${node.id}[(${label})]`;
  if (node.shape === 'circle') return `${node.id}((${label}))`;
  return `${node.id}[${label}]`;
}

/** The Mermaid flowchart of a model: subgraphs per tier, nodes sorted by id, edges sorted. */
export function renderMermaid(model: ArchitectureModel): string {
  const lines = ['flowchart TB'];
  const write = (parent: string | undefined, indent: string) => {
    for (const node of model.nodes.filter((n) => n.group === parent))
      lines.push(`${indent}${renderNode(node)}`);
    for (const group of model.groups.filter((g) => g.parent === parent)) {
      lines.push(`${indent}subgraph ${group.id}["${escapeLabel(group.title)}"]`);
      write(group.id, `${indent}  `);
      lines.push(`${indent}end`);
    }
  };
  write(undefined, '  ');
  for (const edge of model.edges) {
    const arrow = edge.style === 'traffic' ? '-->' : '-.->';
    lines.push(`  ${edge.from} ${arrow}|"${escapeLabel(edge.label)}"| ${edge.to}`);
  }
  return `${lines.join('\n')}\n`;
}
