#include "geometry/bone_mesh.h"

#include "base/input_error.h"
#include "geometry/regions.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_in.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/manifold_lib.h>
#include <deal.II/grid/tria_accessor.h>
#include <deal.II/grid/tria_iterator.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <set>
#include <sstream>

#include <unistd.h>

namespace Ossify
{
  using namespace dealii;

  namespace
  {
    /**
     * O-grid cross-section in the x-y plane: a square core of n x n cells
     * (n = cells around / 4) inside the canal, a transition ring from the
     * square to the circle r = radii[0], then one ring of cells between
     * consecutive radii. Every ring has 4n cells around.
     */
    void
    build_cross_section(const unsigned int         n_around,
                        const std::vector<double> &radii,
                        Triangulation<2>          &section)
    {
      const unsigned int n            = n_around / 4;
      const double       core_radius  = 0.5 * radii[0];
      const double       a            = core_radius / std::sqrt(2.);
      const unsigned int n_transition = std::max(1u, n / 2);

      std::vector<Point<2>>    vertices;
      std::vector<CellData<2>> cells;

      // square core, lexicographic vertex grid
      for (unsigned int j = 0; j <= n; ++j)
        for (unsigned int i = 0; i <= n; ++i)
          vertices.emplace_back(-a + 2. * a * i / n, -a + 2. * a * j / n);
      for (unsigned int j = 0; j < n; ++j)
        for (unsigned int i = 0; i < n; ++i)
        {
          CellData<2> cell;
          cell.vertices = {i + j * (n + 1),
                           i + 1 + j * (n + 1),
                           i + (j + 1) * (n + 1),
                           i + 1 + (j + 1) * (n + 1)};
          cells.push_back(cell);
        }

      // ring layer 0: the boundary of the square, counter-clockwise from
      // the corner (-a,-a)
      std::vector<std::vector<unsigned int>> ring(1);
      for (unsigned int k = 0; k < 4 * n; ++k)
      {
        unsigned int i, j;
        if (k < n)
          i = k, j = 0;
        else if (k < 2 * n)
          i = n, j = k - n;
        else if (k < 3 * n)
          i = n - (k - 2 * n), j = n;
        else
          i = 0, j = n - (k - 3 * n);
        ring[0].push_back(i + j * (n + 1));
      }

      const auto angle = [&](const unsigned int k)
      { return -0.75 * M_PI + 2. * M_PI * k / (4. * n); };
      // transition layers: blend from the square boundary to the circle
      for (unsigned int l = 1; l <= n_transition; ++l)
      {
        const double s = static_cast<double>(l) / n_transition;
        ring.emplace_back();
        for (unsigned int k = 0; k < 4 * n; ++k)
        {
          const Point<2> on_square = vertices[ring[0][k]];
          const Point<2> on_circle(radii[0] * std::cos(angle(k)),
                                   radii[0] * std::sin(angle(k)));
          ring.back().push_back(vertices.size());
          vertices.push_back((1. - s) * on_square + s * on_circle);
        }
      }
      // circular rings
      for (unsigned int r = 1; r < radii.size(); ++r)
      {
        ring.emplace_back();
        for (unsigned int k = 0; k < 4 * n; ++k)
        {
          ring.back().push_back(vertices.size());
          vertices.emplace_back(radii[r] * std::cos(angle(k)),
                                radii[r] * std::sin(angle(k)));
        }
      }
      // cells between consecutive layers: local x outward, local y
      // counter-clockwise, which gives positive orientation
      for (unsigned int l = 0; l + 1 < ring.size(); ++l)
        for (unsigned int k = 0; k < 4 * n; ++k)
        {
          const unsigned int k1 = (k + 1) % (4 * n);
          CellData<2>        cell;
          cell.vertices = {
              ring[l][k], ring[l + 1][k], ring[l][k1], ring[l + 1][k1]};
          cells.push_back(cell);
        }
      section.create_triangulation(vertices, cells, SubCellData());
    }

    /// Radii of the cross-section rings, subdividing each tissue layer.
    std::vector<double>
    ring_radii(const ParametricBoneParameters &p)
    {
      std::vector<double> radii = {p.inner_radius};
      const auto add_layer = [&](const double outer, const unsigned int n_cells)
      {
        const double inner = radii.back();
        for (unsigned int i = 1; i <= n_cells; ++i)
          radii.push_back(inner + (outer - inner) * i / n_cells);
      };
      add_layer(p.outer_radius, p.radial_cells_cortex);
      if (p.periosteal_callus_thickness > 0)
        add_layer(p.outer_radius + p.periosteal_callus_thickness,
                  p.radial_cells_callus);
      if (p.soft_tissue_thickness > 0)
        add_layer(radii.back() + p.soft_tissue_thickness,
                  p.radial_cells_soft_tissue);
      return radii;
    }

    /// z coordinates of the slices: every region boundary is a slice.
    std::vector<double>
    axial_slices(const ParametricBoneParameters &p)
    {
      const double     half   = p.segment_length / 2;
      std::set<double> breaks = {-half, half};
      for (const double length :
           {p.gap_width,
            p.periosteal_callus_thickness > 0 ? p.periosteal_callus_length : 0.,
            p.endosteal_callus_length})
        if (length > 0)
        {
          breaks.insert(-length / 2);
          breaks.insert(length / 2);
        }
      std::vector<double> sorted(breaks.begin(), breaks.end());
      // merge breaks closer than a small fraction of the gap
      const double tolerance = 1e-6 * p.segment_length;
      sorted.erase(std::unique(sorted.begin(),
                               sorted.end(),
                               [&](double x, double y)
                               { return std::abs(x - y) < tolerance; }),
                   sorted.end());

      std::vector<double> slices = {sorted.front()};
      for (unsigned int i = 0; i + 1 < sorted.size(); ++i)
      {
        const double       z0 = sorted[i], z1 = sorted[i + 1];
        const bool         in_gap = std::abs(z0 + z1) / 2 < p.gap_width / 2;
        const unsigned int n =
            in_gap ? p.cells_across_gap
                   : std::max(1u,
                              static_cast<unsigned int>(std::ceil(
                                  (z1 - z0) / p.axial_cell_size - 1e-9)));
        for (unsigned int j = 1; j <= n; ++j)
          slices.push_back(z0 + (z1 - z0) * j / n);
      }
      return slices;
    }

    types::material_id
    region_at(const Point<3> &centre, const ParametricBoneParameters &p)
    {
      const double r = std::hypot(centre[0], centre[1]);
      const double z = std::abs(centre[2]);
      Region       region;
      if (r < p.inner_radius)
        region = z < p.endosteal_callus_length / 2 ? Region::endosteal_callus
                                                   : Region::marrow;
      else if (r < p.outer_radius)
        region = z < p.gap_width / 2 ? Region::gap : Region::cortical;
      else if (r < p.outer_radius + p.periosteal_callus_thickness &&
               z < p.periosteal_callus_length / 2)
        region = Region::periosteal_callus;
      else if (p.soft_tissue_thickness > 0)
        region = Region::soft_tissue;
      else
        return numbers::invalid_material_id; // outside the body: removed
      return static_cast<types::material_id>(region);
    }
  } // namespace

  namespace
  {
    /// Moves the vertices outside the cortex radially so that the
    /// periosteal callus thins linearly from the gap (full thickness) to
    /// its axial ends (taper x thickness); a soft-tissue sleeve follows.
    void
    taper_periosteal_callus(const ParametricBoneParameters &p,
                            Triangulation<3>               &mesh)
    {
      const double t = p.periosteal_callus_thickness;
      if (t <= 0 || p.periosteal_callus_taper >= 1.)
        return;
      const double half_gap    = p.gap_width / 2,
                   half_callus = p.periosteal_callus_length / 2;
      GridTools::transform(
          [&](const Point<3> &x)
          {
            const double r = std::hypot(x[0], x[1]), z = std::abs(x[2]);
            if (r <= p.outer_radius * (1 + 1e-12))
              return x;
            const double along = std::clamp(
                (z - half_gap) / std::max(half_callus - half_gap, 1e-12),
                0.,
                1.);
            const double s     = 1. - (1. - p.periosteal_callus_taper) * along;
            const double new_r = r <= p.outer_radius + t * (1 + 1e-12)
                                     ? p.outer_radius + (r - p.outer_radius) * s
                                     : r - (1. - s) * t;
            return Point<3>(x[0] * new_r / r, x[1] * new_r / r, x[2]);
          },
          mesh);
    }
  } // namespace

  void
  build_parametric_bone(const ParametricBoneParameters &p,
                        Triangulation<3>               &coarse_mesh)
  {
    p.check();
    Triangulation<2> section;
    build_cross_section(p.cells_around_circumference, ring_radii(p), section);
    const std::vector<double> slices = axial_slices(p);
    // the extruded mesh is built whole on every rank: refuse one that
    // cannot fit before building it (at least one cell per coarse cell)
    const double cells = static_cast<double>(section.n_active_cells()) *
                         static_cast<double>(slices.size() - 1);
    const double memory = static_cast<double>(sysconf(_SC_PHYS_PAGES)) *
                          static_cast<double>(sysconf(_SC_PAGESIZE));
    if (memory > 0 && cells * memory_per_cell(1) > memory)
    {
      std::ostringstream message;
      message << std::setprecision(3) << "the cross-section of "
              << section.n_active_cells() << " cells ('Cells around "
              << "circumference', the radial cells) over " << slices.size() - 1
              << " slices ('Axial cell size', 'Segment length', 'Cells "
              << "across gap') gives about " << cells / 1e6
              << " million coarse cells, which need at least "
              << cells * memory_per_cell(1) / 1e9 << " GB against this node's "
              << memory / 1e9 << " GB; use fewer or larger cells";
      throw InputError("Geometry/Parametric bone",
                       "Cells around circumference",
                       message.str());
    }
    Triangulation<3> extruded;
    GridGenerator::extrude_triangulation(section, slices, extruded);

    std::set<Triangulation<3>::active_cell_iterator> outside;
    for (const auto &cell : extruded.active_cell_iterators())
      if (region_at(cell->center(), p) == numbers::invalid_material_id)
        outside.insert(cell);
    coarse_mesh.clear();
    if (outside.empty())
      coarse_mesh.copy_triangulation(extruded);
    else
      GridGenerator::create_triangulation_with_removed_cells(
          extruded, outside, coarse_mesh);

    const double half = p.segment_length / 2, tolerance = 1e-8 * half;
    for (const auto &cell : coarse_mesh.active_cell_iterators())
    {
      cell->set_material_id(region_at(cell->center(), p));
      for (const auto &face : cell->face_iterators())
        if (face->at_boundary())
        {
          const double z = face->center()[2];
          face->set_boundary_id(static_cast<types::boundary_id>(
              z < -half + tolerance  ? Boundary::distal
              : z > half - tolerance ? Boundary::proximal
                                     : Boundary::outer));
        }
      // cells outside the canal lie between circles: keep them round
      // under refinement
      bool on_rings = true;
      for (const auto v : cell->vertex_indices())
        on_rings &= std::hypot(cell->vertex(v)[0], cell->vertex(v)[1]) >
                    p.inner_radius * (1. - 1e-10);
      if (on_rings)
        cell->set_all_manifold_ids(cylindrical_manifold_id);
    }
    taper_periosteal_callus(p, coarse_mesh);
  }

  void
  read_gmsh_mesh(const GmshMeshParameters &p, Triangulation<3> &coarse_mesh)
  {
    p.check();
    coarse_mesh.clear();
    GridIn<3> grid_in;
    grid_in.attach_triangulation(coarse_mesh);
    std::ifstream input(p.mesh_file);
    try
    {
      grid_in.read_msh(input);
    }
    catch (const ExceptionBase &exc)
    {
      std::ostringstream info;
      exc.print_info(info);
      throw InputError("Geometry/Gmsh mesh",
                       "Mesh file",
                       "cannot read '" + p.mesh_file +
                           "' as an ASCII Gmsh mesh (MSH 2.2 or 4.1) of "
                           "hexahedra: " +
                           info.str());
    }
    catch (const std::bad_alloc &)
    {
      throw InputError("Geometry/Gmsh mesh",
                       "Mesh file",
                       "'" + p.mesh_file +
                           "' claims more nodes or elements than this "
                           "machine's memory holds; the file is damaged or "
                           "not a mesh Ossify can use");
    }
    catch (const std::exception &e)
    {
      throw InputError("Geometry/Gmsh mesh",
                       "Mesh file",
                       "cannot read '" + p.mesh_file + "': " + e.what());
    }
    if (!coarse_mesh.all_reference_cells_are_hyper_cube())
      throw InputError("Geometry/Gmsh mesh",
                       "Mesh file",
                       "'" + p.mesh_file +
                           "' contains non-hexahedral cells; the distributed "
                           "mesh needs hexahedra (use Recombine/extrusion in "
                           "Gmsh)");

    // Fragments are told apart by the sign of z: the gap must be at z = 0.
    double z_min = std::numeric_limits<double>::max(), z_max = -z_min;
    for (const auto &vertex : coarse_mesh.get_vertices())
    {
      z_min = std::min(z_min, vertex[2]);
      z_max = std::max(z_max, vertex[2]);
    }
    if (std::abs(z_min + z_max) > 1e-6 * (z_max - z_min))
      throw InputError("Geometry/Gmsh mesh",
                       "Mesh file",
                       "'" + p.mesh_file +
                           "' spans z = " + std::to_string(z_min) + " to " +
                           std::to_string(z_max) +
                           " mm; Ossify needs the bone axis along z with the "
                           "fracture gap centred at z = 0 (move the mesh in "
                           "Gmsh)");
    for (const auto &cell : coarse_mesh.active_cell_iterators())
    {
      const auto region = p.region_map.find(cell->material_id());
      if (region == p.region_map.end())
        throw InputError("Geometry/Gmsh mesh",
                         "Region map",
                         "physical volume " +
                             std::to_string(cell->material_id()) + " of '" +
                             p.mesh_file + "' is not in the region map");
      cell->set_material_id(static_cast<types::material_id>(
          region_from_name(region->second, "Geometry/Gmsh mesh/Region map")));
      for (const auto &face : cell->face_iterators())
        if (face->at_boundary())
        {
          const auto tag = face->boundary_id();
          if (tag == 0)
            continue; // untagged: 'other'
          const auto boundary = p.boundary_map.find(tag);
          if (boundary == p.boundary_map.end())
            throw InputError("Geometry/Gmsh mesh",
                             "Boundary map",
                             "physical surface " + std::to_string(tag) +
                                 " of '" + p.mesh_file +
                                 "' is not in the boundary map");
          face->set_boundary_id(
              static_cast<types::boundary_id>(boundary_from_name(
                  boundary->second, "Geometry/Gmsh mesh/Boundary map")));
        }
    }
  }

  void
  check_cells_not_inverted(const DistributedMesh &mesh,
                           const std::string     &origin)
  {
    // Jacobian determinants at the vertices (trapezoidal rule points) catch
    // inverted and degenerate hexahedra.
    const FE_Q<3>       fe(1);
    const QTrapezoid<1> trapezoid;
    const QIterated<3>  points(trapezoid, 1);
    const MappingQ1<3>  mapping;
    FEValues<3>         fe_values(mapping, fe, points, update_JxW_values);
    Point<3>            bad_centre;
    bool                found = false;
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned() && !found)
      {
        fe_values.reinit(cell);
        for (const unsigned int q : fe_values.quadrature_point_indices())
          if (!(fe_values.JxW(q) > 0))
          {
            found      = true;
            bad_centre = cell->center();
          }
      }
    if (Utilities::MPI::logical_or(found, mesh.get_communicator()))
    {
      std::ostringstream where;
      where << bad_centre;
      throw InputError(origin +
                       ": the mesh has an inverted or degenerate "
                       "cell" +
                       (found ? " (centre at " + where.str() + " mm)" : "") +
                       "; check the vertex order and the geometry");
    }
  }

  double
  memory_per_cell(const unsigned int fe_degree)
  {
    return 25e3 * std::pow(fe_degree, 3);
  }

  namespace
  {
    /// Refuses refinements whose mesh would not fit into this node's
    /// memory, before any refinement is done (a mesh refined six times runs
    /// out of memory, or for hours, before it could be refused after).
    void
    check_refined_size(const GeometryParameters &parameters,
                       const Triangulation<3>   &coarse_mesh,
                       const unsigned int        fe_degree,
                       const MPI_Comm            communicator)
    {
      double coarse_callus = 0;
      for (const auto &cell : coarse_mesh.active_cell_iterators())
        coarse_callus += is_callus(cell->material_id()) ? 1 : 0;
      const double global = std::pow(8., parameters.global_refinements);
      // p4est's 2:1 balance adds a layer of finer cells around the callus;
      // it is small against the callus itself and left out
      const double cells =
          (coarse_mesh.n_active_cells() - coarse_callus) * global +
          coarse_callus * global * std::pow(8., parameters.callus_refinements);
      const double bytes = cells * memory_per_cell(fe_degree);

      // the share of the ranks on this node (an even partition)
      MPI_Comm node;
      MPI_Comm_split_type(
          communicator, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
      const double ranks_here = Utilities::MPI::n_mpi_processes(node);
      MPI_Comm_free(&node);
      const double node_bytes =
          bytes * ranks_here / Utilities::MPI::n_mpi_processes(communicator);
      const double node_memory = static_cast<double>(sysconf(_SC_PHYS_PAGES)) *
                                 static_cast<double>(sysconf(_SC_PAGESIZE));
      if (node_memory > 0 && node_bytes > node_memory)
      {
        std::ostringstream message;
        message << std::setprecision(3) << "with 'Global refinements' = "
                << parameters.global_refinements
                << " and 'Callus refinements' = "
                << parameters.callus_refinements << ", the "
                << coarse_mesh.n_active_cells() << " coarse cells become about "
                << cells / 1e6 << " million cells, which need about "
                << node_bytes / 1e9 << " GB on this node (" << ranks_here
                << " rank(s) here, FE_Q(" << fe_degree << "), about "
                << memory_per_cell(fe_degree) / 1e3
                << " KB per cell) against its " << node_memory / 1e9
                << " GB of memory; use fewer refinements, or more nodes";
        // name the refinement that makes it too large: the callus one if
        // the mesh would fit without it
        const bool callus_too_fine =
            parameters.callus_refinements > 0 &&
            coarse_mesh.n_active_cells() * global * memory_per_cell(fe_degree) *
                    ranks_here /
                    Utilities::MPI::n_mpi_processes(communicator) <=
                node_memory;
        throw InputError(
            "Geometry",
            callus_too_fine ? "Callus refinements" : "Global refinements",
            "the value " +
                std::to_string(callus_too_fine
                                   ? parameters.callus_refinements
                                   : parameters.global_refinements) +
                " is too large for this machine: " + message.str());
      }
    }
  } // namespace

  void
  create_mesh(const GeometryParameters &parameters,
              DistributedMesh          &mesh,
              const unsigned int        fe_degree)
  {
    Triangulation<3> coarse_mesh;
    std::string      origin;
    if (parameters.source == "parametric")
    {
      build_parametric_bone(parameters.bone, coarse_mesh);
      origin = "Geometry/Parametric bone";
    }
    else
    {
      read_gmsh_mesh(parameters.gmsh, coarse_mesh);
      origin = "mesh file '" + parameters.gmsh.mesh_file + "'";
    }

    mesh.clear();
    mesh.copy_triangulation(coarse_mesh);
    if (parameters.source == "parametric")
      mesh.set_manifold(cylindrical_manifold_id, CylindricalManifold<3>(2));
    check_cells_not_inverted(mesh, origin);
    check_refined_size(
        parameters, coarse_mesh, fe_degree, mesh.get_communicator());

    mesh.refine_global(parameters.global_refinements);
    for (unsigned int i = 0; i < parameters.callus_refinements; ++i)
    {
      for (const auto &cell : mesh.active_cell_iterators())
        if (cell->is_locally_owned() && is_callus(cell->material_id()))
          cell->set_refine_flag();
      mesh.execute_coarsening_and_refinement();
    }
  }
} // namespace Ossify
